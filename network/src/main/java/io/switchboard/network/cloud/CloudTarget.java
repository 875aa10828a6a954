package io.switchboard.network.cloud;

import java.net.URI;

/**
 * Where one (number, shard) sends on Meta's Cloud API: {@code messages} is
 * {@code {base}/{version}/{phone_number_id}/messages}, {@code accessToken} the bearer token (never logged: it is left
 * out of {@link #toString}).
 */
public record CloudTarget(String number, int shard, int shardCount, String phoneNumberId, URI messages,
                          String accessToken) {
    public static CloudTarget of(String number, int shard, int shardCount, String baseUrl, String apiVersion,
                                 String phoneNumberId, String accessToken) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new CloudTarget(number, shard, shardCount, phoneNumberId,
                URI.create(base + "/" + apiVersion + "/" + phoneNumberId + "/messages"), accessToken);
    }

    @Override
    public String toString() {
        return "CloudTarget[" + number + "/" + shard + " at " + messages.getHost() + "]";
    }
}

package io.switchboard.network.cloud;

import java.net.URI;

/**
 * Where one (number, shard) sends on Meta's Cloud API: {@code version} is {@code {base}/{version}/}, {@code messages}
 * {@code {base}/{version}/{phone_number_id}/messages}, {@code accessToken} the bearer token (never logged: it is left
 * out of {@link #toString}).
 */
public record CloudTarget(String number, int shard, int shardCount, String phoneNumberId, URI version, URI messages,
                          String accessToken) {
    public static CloudTarget of(String number, int shard, int shardCount, String baseUrl, String apiVersion,
                                 String phoneNumberId, String accessToken) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI version = URI.create(base + "/" + apiVersion + "/");
        return new CloudTarget(number, shard, shardCount, phoneNumberId, version,
                version.resolve(phoneNumberId + "/messages"), accessToken);
    }

    /** A Graph API path under the version ({@code 12345/media}, {@code 67890?phone_number_id=12345}). */
    public URI graph(String path) {
        return version.resolve(path);
    }

    @Override
    public String toString() {
        return "CloudTarget[" + number + "/" + shard + " at " + messages.getHost() + "]";
    }
}

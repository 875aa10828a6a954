package io.switchboard.store;

/**
 * A number connected to Meta's Cloud API, as stored: where the Graph API is ({@code baseUrl}, {@code apiVersion}),
 * the number there ({@code phoneNumberId}) and its business account ({@code wabaId}, "" when not given), the access token and the app secret sealed under the master key (see
 * {@link #owner}), and the SHA-256 of the token that Meta's webhook handshake must show.
 */
public record CloudUpstream(String number, String projectId, String baseUrl, String apiVersion, String phoneNumberId,
                            String wabaId, byte[] sealedAccessToken, byte[] sealedAppSecret, String verifyTokenHash, long createdAt) {
    public static final String KIND = "cloud";

    /** What a sealed secret of this number is bound to, so one cannot be swapped for another. */
    public static String owner(String number, String secret) {
        return "upstream:" + number + ":" + secret;
    }
}

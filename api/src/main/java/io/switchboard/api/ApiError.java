package io.switchboard.api;

import java.util.Map;

/**
 * An answer other than success: the HTTP status, a machine-readable code, a sentence, the field at fault, and any
 * headers that go with it ({@code Retry-After}, say).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final Map<String, String> headers;

    public ApiError(int status, String code, String message, String field) {
        this(status, code, message, field, Map.of());
    }

    private ApiError(int status, String code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = headers;
    }

    public static ApiError badRequest(String code, String message, String field) {
        return new ApiError(400, code, message, field);
    }

    public static ApiError unauthorized() {
        return new ApiError(401, "unauthorized", "a valid token is required: Authorization: Bearer <token>", null);
    }

    /** The token is valid but lacks the scope the call needs; the header names it as RFC 6750 says. */
    public static ApiError insufficientScope(String scope) {
        return new ApiError(403, "insufficient_scope", "this call needs a token with the " + scope + " scope", null,
                Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\""));
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " was not found", null);
    }

    public static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "body_too_large", "the body is larger than " + maxBytes + " bytes", null);
    }

    /** The node cannot take the request now; the client may try again after {@code retryAfterSeconds}. */
    public static ApiError unavailable(String code, String message, long retryAfterSeconds) {
        return new ApiError(503, code, message, null, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static ApiError rateLimited(String message, long retryAfterSeconds) {
        return tooMany("rate_limited", message, retryAfterSeconds);
    }

    /** 429: the caller sends more than it may now; {@code Retry-After} says when to try again. */
    public static ApiError tooMany(String code, String message, long retryAfterSeconds) {
        return new ApiError(429, code, message, null, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** Whether the node is at fault (logged as an error), not the caller: a full quota is the caller's. */
    boolean serverFault() {
        return status >= 500 && status != 507;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

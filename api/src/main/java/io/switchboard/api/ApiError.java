package io.switchboard.api;

/** An answer other than success: the HTTP status, a machine-readable code, a sentence, and the field at fault. */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiError badRequest(String code, String message, String field) {
        return new ApiError(400, code, message, field);
    }

    public static ApiError unauthorized() {
        return new ApiError(401, "unauthorized", "a valid token is required: Authorization: Bearer <token>", null);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " was not found", null);
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
}

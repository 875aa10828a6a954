package io.switchboard.engine.validation;

/**
 * Input that breaks a rule: a machine-readable code, a sentence for people, and the field at fault (a JSON path
 * such as {@code messages[3].text.body}). The API answers it as a 400; nothing is written.
 */
public final class InvalidInput extends RuntimeException {
    private final String code;
    private final String field;

    public InvalidInput(String code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}

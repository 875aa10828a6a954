package io.switchboard.store;

/** Which way a message went: out to a user, or in from one. */
public enum Direction {
    OUT("o"), IN("i");

    private final String code;

    Direction(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Direction of(String code) {
        return "i".equals(code) ? IN : OUT;
    }
}

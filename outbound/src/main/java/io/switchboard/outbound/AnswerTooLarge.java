package io.switchboard.outbound;

import java.io.IOException;

/**
 * An answer longer than its caller reads: {@code declared} is the length its Content-Length announced, or -1 when
 * it came without one and was cut off after {@code limit} bytes.
 */
public final class AnswerTooLarge extends IOException {
    private final long declared;
    private final long limit;

    AnswerTooLarge(long declared, long limit) {
        super(declared < 0 ? "the answer is larger than " + limit + " bytes"
                : "the answer is " + declared + " bytes long; at most " + limit + " are read");
        this.declared = declared;
        this.limit = limit;
    }

    public long declared() {
        return declared;
    }

    public long limit() {
        return limit;
    }
}

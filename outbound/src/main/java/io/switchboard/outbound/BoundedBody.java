package io.switchboard.outbound;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.client.api.Response;

/**
 * An answer's body that yields at most {@code limit} bytes: reading past them aborts the exchange (nothing more is
 * taken off the connection) and fails with {@link AnswerTooLarge}.
 */
final class BoundedBody extends InputStream {
    private final InputStream body;
    private final Response response;
    private final long limit;
    private long count;

    BoundedBody(InputStream body, Response response, long limit) {
        this.body = body;
        this.response = response;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // One byte past the limit is enough to know the answer is too large.
        int read = body.read(buffer, offset, (int) Math.min(length, limit - count + 1));
        if (read > 0) count += read;
        if (count > limit) {
            AnswerTooLarge tooLarge = new AnswerTooLarge(-1, limit);
            response.abort(tooLarge);
            throw tooLarge;
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}

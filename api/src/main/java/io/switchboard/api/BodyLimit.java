package io.switchboard.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request body limit. A body that says its length is refused before it is read ({@link #check}); a body that
 * does not (chunked) is counted as it is read, and reading past the limit throws the same 413. Javalin's own limit
 * looks only at the Content-Length header, so without this a chunked body of any size would be read into memory.
 */
final class BodyLimit implements Filter {
    private final long maxBytes;

    BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Refuses a declared length over the limit, before anything is read. */
    void check(HttpServletRequest request) {
        if (request.getContentLengthLong() > maxBytes) throw ApiError.tooLarge(maxBytes);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getContentLengthLong() < 0) {
            chain.doFilter(new Counted(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private final class Counted extends HttpServletRequestWrapper {
        private ServletInputStream counted;

        Counted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (counted == null) counted = new CountedStream(super.getInputStream());
            return counted;
        }
    }

    private final class CountedStream extends ServletInputStream {
        private final ServletInputStream in;
        private long read;

        CountedStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) add(n);
            return n;
        }

        private void add(int n) {
            read += n;
            if (read > maxBytes) throw ApiError.tooLarge(maxBytes);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}

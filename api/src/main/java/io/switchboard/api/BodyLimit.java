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
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * The request body limit, and a larger one for media uploads ({@code POST} to an upload path). A body that says its length is refused before it is read ({@link #check}); a body that
 * does not (chunked) is counted as it is read, and reading past the limit throws the same 413. Javalin's own limit
 * looks only at the Content-Length header, so without this a chunked body of any size would be read into memory.
 */
final class BodyLimit implements Filter {
    private final long maxBytes;
    private final Predicate<String> uploadPath;
    private final long maxUploadBytes;

    BodyLimit(long maxBytes, Predicate<String> uploadPath, long maxUploadBytes) {
        this.maxBytes = maxBytes;
        this.uploadPath = uploadPath;
        this.maxUploadBytes = maxUploadBytes;
    }

    /**
     * Refuses a declared length over the limit, before anything is read; the answer says the connection closes, as
     * Jetty closes it for the unread body, so that the client does not send its next request on it.
     */
    void check(HttpServletRequest request, HttpServletResponse response) {
        long limit = limitOf(request);
        if (request.getContentLengthLong() > limit) {
            response.setHeader("Connection", "close");
            throw ApiError.tooLarge(limit);
        }
    }

    private long limitOf(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && uploadPath.test(request.getRequestURI()) ? maxUploadBytes : maxBytes;
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
            if (counted == null) counted = new CountedStream(super.getInputStream(), limitOf(this));
            return counted;
        }
    }

    private final class CountedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        CountedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
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
            if (read > limit) throw ApiError.tooLarge(limit);
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

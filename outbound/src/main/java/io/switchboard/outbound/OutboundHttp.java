package io.switchboard.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The HTTP client of every call Switchboard makes to the outside: customers' Webhooks, media links and Meta's Graph
 * API. It connects only to addresses {@link OutboundUrls#resolver} passed, checked as it connects (after any DNS
 * change); it follows no redirects, since their target would go unchecked; each exchange has a total timeout, which
 * runs until the answer's last byte (Jetty's request timeout), so a server that sends its headers and then drips its
 * body is cut off; and no answer is read past the number of bytes its caller takes ({@link AnswerTooLarge}).
 *
 * <p>Jetty's client rather than the JDK's: in the receive benchmark (one Webhook call a message) it carried about
 * 9,900 calls a second where the JDK's carried 7,200, and it is the Jetty the API already runs on.
 *
 * <p>Thread-safe; one instance per kind of call, each with its own User-Agent and connections per host.
 */
public final class OutboundHttp implements AutoCloseable {
    /** An answer read whole: its status, headers and body. */
    public record Received(int status, HttpFields headers, byte[] body) {}

    /** An answer whose status and headers came; its body is read from {@code body}, at most the caller's bound. */
    public record Opened(Response response, InputStream body) {}

    private final ExecutorService resolving = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = new HttpClient();

    /**
     * {@code connectTimeout} bounds opening a connection (the exchange's timeout bounds everything);
     * {@code connectionsPerHost}: connections open at once to one host and port, more requests wait for one.
     */
    public OutboundHttp(OutboundUrls urls, String userAgent, Duration connectTimeout, int connectionsPerHost) {
        http.setSocketAddressResolver(urls.resolver(resolving));
        http.setFollowRedirects(false);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setMaxConnectionsPerDestination(connectionsPerHost);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the " + userAgent + " HTTP client did not start: " + e.getMessage(), e);
        }
    }

    /** A request to {@code uri} (a GET unless the caller says otherwise) whose whole exchange ends within {@code timeout}. */
    public Request request(URI uri, Duration timeout) {
        return http.newRequest(uri).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the request and reads its answer whole.
     *
     * @throws AnswerTooLarge when the answer is longer than {@code maxBytes} (said so, or found as it is read)
     * @throws TimeoutException when the exchange did not end within the request's timeout
     * @throws OutboundUrls.Refused when the host has an address that may not be called
     * @throws IOException when the host could not be reached or the exchange broke off
     */
    public Received exchange(Request request, long maxBytes) throws IOException, TimeoutException, InterruptedException {
        // Buffered by Jetty within the bound, as its own ContentResponse is: no reader thread handed the body.
        Buffered answer = new Buffered((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
        request.send(answer);
        try {
            return answer.received.get(request.getTimeout(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (answer.tooLarge(cause)) throw new AnswerTooLarge(answer.declared > maxBytes ? answer.declared : -1, maxBytes);
            throw failure(cause);
        }
    }

    /** An answer read whole by Jetty, refused past its bound (declared or found as it came). */
    private static final class Buffered extends BufferingResponseListener {
        final CompletableFuture<Received> received = new CompletableFuture<>();
        /** The length the answer said it has, -1 when it said none. */
        volatile long declared = -1;

        Buffered(int maxBytes) {
            super(maxBytes);
        }

        @Override
        public void onHeaders(Response response) {
            declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            super.onHeaders(response);
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) received.completeExceptionally(result.getFailure());
            else received.complete(new Received(result.getResponse().getStatus(), result.getResponse().getHeaders(), getContent()));
        }

        /** Jetty's own way of saying the bound was passed. */
        boolean tooLarge(Throwable failure) {
            return failure instanceof IllegalArgumentException && String.valueOf(failure.getMessage()).startsWith("Buffering capacity");
        }
    }

    /**
     * Sends the request and answers once the status and headers came; the body is read by the caller, and fails with
     * an IOException once the exchange's timeout is over. Throws as {@link #exchange} does; an answer whose
     * Content-Length is over {@code maxBytes} is refused before a byte of its body is read.
     */
    public Opened open(Request request, long maxBytes) throws IOException, TimeoutException, InterruptedException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(request.getTimeout(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause());
        }
        long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBytes) {
            AnswerTooLarge tooLarge = new AnswerTooLarge(declared, maxBytes);
            response.abort(tooLarge);
            throw tooLarge;
        }
        return new Opened(response, new BoundedBody(listener.getInputStream(), response, maxBytes));
    }

    /** Why an exchange failed, as {@link #exchange} throws it. */
    private static IOException failure(Throwable cause) throws TimeoutException {
        // Jetty's own total timeout and the wait for the headers end at the same time: either may say so first.
        if (cause instanceof TimeoutException timeout) throw timeout;
        if (cause instanceof OutboundUrls.Refused refused) throw refused;
        if (cause instanceof IOException io) return io;
        return new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping: nothing left to do with it
        }
        resolving.shutdownNow();
    }
}

package io.switchboard.dispatcher.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.engine.media.MediaLinks;
import io.switchboard.engine.media.MediaTooLarge;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.store.MediaFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Fetches media messages' links for the shard workers: a GET on a virtual thread, to a public address only (the
 * URL is checked first, and again as the client connects, after any DNS change, through {@link OutboundUrls}),
 * no redirects (their target would go unchecked), the whole exchange within the timeout, answered 200 with a
 * Content-Type the message type takes, and no larger than that type's limit (a declared length is refused before
 * a byte is read; the rest is counted as it is stored). The file is stored like an upload, for the message's
 * project and number. At most {@value #AT_ONCE} fetches run at once; the others wait their turn.
 */
public final class LinkFetcher implements MediaLinks, AutoCloseable {
    private static final int AT_ONCE = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MediaLibrary library;
    private final OutboundUrls urls;
    private final Duration timeout;
    private final HttpClient http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(AT_ONCE);

    public LinkFetcher(MediaLibrary library, OutboundUrls urls, Duration timeout) {
        this.library = library;
        this.urls = urls;
        this.timeout = timeout;
        this.http = new HttpClient();
        http.setConnectTimeout(timeout.toMillis());
        http.setFollowRedirects(false);
        http.setSocketAddressResolver(urls.resolver(threads));
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField(HttpHeader.USER_AGENT, "Switchboard-Media/1"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the media link client did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<String> fetch(String projectId, String number, String messageType, String payload) {
        return CompletableFuture.supplyAsync(() -> {
            slots.acquireUninterruptibly();
            try {
                return fetchNow(projectId, number, messageType, (ObjectNode) JSON.readTree(payload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                slots.release();
            }
        }, threads);
    }

    private String fetchNow(String projectId, String number, String messageType, ObjectNode object) {
        String link = object.path("link").asText();
        URI uri;
        try {
            uri = urls.check(link);
        } catch (OutboundUrls.Refused e) {
            throw new MediaLinkFailed(e.code() + ": " + e.getMessage());
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        http.newRequest(uri).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send(listener);
        String host = uri.getHost();
        Response response = answer(listener, host);
        if (response.getStatus() != 200) {
            response.abort(new IOException("unwanted status"));
            throw new MediaLinkFailed(host + " answered " + response.getStatus() + " (200 expected)");
        }
        String mimeType = MediaTypes.bare(response.getHeaders().get(HttpHeader.CONTENT_TYPE));
        if (!MediaTypes.messageTypeOf(mimeType).orElse("").equals(messageType)) {
            response.abort(new IOException("unwanted type"));
            throw new MediaLinkFailed(host + " sent Content-Type '" + mimeType + "'; " + messageType
                    + " messages take " + MediaTypes.mimeTypes(messageType));
        }
        long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > MediaTypes.maxBytes(messageType)) {
            response.abort(new IOException("too large"));
            throw new MediaLinkFailed(host + " sent " + declared + " bytes; " + messageType + " media may be at most "
                    + MediaTypes.maxBytes(messageType));
        }
        JsonNode filename = object.get("filename");
        MediaLibrary.Intake intake = new MediaLibrary.Intake(projectId, number, mimeType,
                filename == null ? null : filename.asText(), new MediaLibrary.Names("from", "Content-Type", "link"));
        try (InputStream content = listener.getInputStream()) {
            MediaFile file = library.store(intake, content);
            return MediaLibrary.describe(object, file).toString();
        } catch (InvalidInput | MediaTooLarge e) {
            throw new MediaLinkFailed(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new MediaLinkFailed("reading from " + host + " failed: " + e.getMessage());
        }
    }

    /** The answer's status and headers, within the timeout. */
    private Response answer(InputStreamResponseListener listener, String host) {
        try {
            return listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof OutboundUrls.Refused refused) throw new MediaLinkFailed(refused.code() + ": " + refused.getMessage());
            // The request's own total timeout and this wait end at the same time: either may say so first.
            if (cause instanceof TimeoutException) throw timedOut(host);
            throw new MediaLinkFailed(host + " could not be reached: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage());
        } catch (TimeoutException e) {
            throw timedOut(host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaLinkFailed("interrupted");
        }
    }

    private MediaLinkFailed timedOut(String host) {
        return new MediaLinkFailed(host + " did not answer within " + timeout.toMillis() + " ms");
    }

    @Override
    public void close() throws Exception {
        http.stop();
        threads.close();
    }
}

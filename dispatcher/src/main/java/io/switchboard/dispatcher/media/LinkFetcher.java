package io.switchboard.dispatcher.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.media.MediaLibrary;
import io.switchboard.engine.media.MediaLinks;
import io.switchboard.engine.media.MediaTooLarge;
import io.switchboard.engine.media.MediaTypes;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.outbound.AnswerTooLarge;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.MediaFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Fetches media messages' links for the shard workers: a GET on a virtual thread through an {@link OutboundHttp}, to a
 * public address only (the URL is checked first, and again as the client connects, after any DNS change, through
 * {@link OutboundUrls}), no redirects (their target would go unchecked), the whole exchange within the timeout,
 * answered 200 with a Content-Type the message type takes, and no larger than that type's limit (a declared length is
 * refused before a byte is read; the rest is counted as it is read). The file is stored like an upload, for the
 * message's project and number. At most {@value #AT_ONCE} fetches run at once, and at most a share of them for one
 * project ({@link FetchSlots}), so one project's slow links do not stall the others' media; the rest wait their turn.
 */
public final class LinkFetcher implements MediaLinks, AutoCloseable {
    /** Fetches under way at once on the node. */
    public static final int AT_ONCE = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MediaLibrary library;
    private final OutboundUrls urls;
    private final Duration timeout;
    private final OutboundHttp http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final FetchSlots slots;

    /** {@code perProject}: fetches one project may have under way at once, out of the node's {@value #AT_ONCE}. */
    public LinkFetcher(MediaLibrary library, OutboundUrls urls, Duration timeout, int perProject) {
        this.library = library;
        this.urls = urls;
        this.timeout = timeout;
        this.slots = new FetchSlots(AT_ONCE, perProject);
        this.http = new OutboundHttp(urls, "Switchboard-Media/1", timeout, AT_ONCE);
    }

    @Override
    public CompletableFuture<String> fetch(String projectId, String number, String messageType, String payload) {
        return CompletableFuture.supplyAsync(() -> {
            try (FetchSlots.Held slot = slots.take(projectId)) {
                return fetchNow(projectId, number, messageType, (ObjectNode) JSON.readTree(payload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
    }

    private String fetchNow(String projectId, String number, String messageType, ObjectNode object) {
        String link = object.path("link").asText();
        URI uri;
        try {
            uri = urls.check(link);
        } catch (OutboundUrls.Refused e) {
            throw refused(e);
        }
        String host = uri.getHost();
        OutboundHttp.Opened answer = open(uri, messageType);
        Response response = answer.response();
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
        JsonNode filename = object.get("filename");
        MediaLibrary.Intake intake = new MediaLibrary.Intake(projectId, number, mimeType,
                filename == null ? null : filename.asText(), new MediaLibrary.Names("from", "Content-Type", "link"));
        try (InputStream content = answer.body()) {
            MediaFile file = library.store(intake, content);
            return MediaLibrary.describe(object, file).toString();
        } catch (InvalidInput | MediaTooLarge e) {
            throw new MediaLinkFailed(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            // The store reads the body and wraps what fails as unchecked.
            if (e.getCause() instanceof AnswerTooLarge tooLarge) throw tooLarge(host, messageType, tooLarge);
            throw new MediaLinkFailed("reading from " + host + " failed: " + e.getMessage());
        }
    }

    /** The answer's status and headers, within the timeout; its body bound to the message type's limit. */
    private OutboundHttp.Opened open(URI uri, String messageType) {
        String host = uri.getHost();
        try {
            return http.open(http.request(uri, timeout), MediaTypes.maxBytes(messageType));
        } catch (OutboundUrls.Refused e) {
            throw refused(e);
        } catch (AnswerTooLarge e) {
            throw tooLarge(host, messageType, e);
        } catch (TimeoutException e) {
            throw new MediaLinkFailed(host + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new MediaLinkFailed(host + " could not be reached: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaLinkFailed("interrupted");
        }
    }

    private static MediaLinkFailed refused(OutboundUrls.Refused refused) {
        return new MediaLinkFailed(refused.code() + ": " + refused.getMessage());
    }

    private static MediaLinkFailed tooLarge(String host, String messageType, AnswerTooLarge tooLarge) {
        return new MediaLinkFailed(tooLarge.declared() < 0
                ? host + " sent a file larger than " + tooLarge.limit() + " bytes, the limit for " + messageType + " media"
                : host + " sent " + tooLarge.declared() + " bytes; " + messageType + " media may be at most "
                        + tooLarge.limit());
    }

    @Override
    public void close() {
        http.close();
        threads.close();
    }
}

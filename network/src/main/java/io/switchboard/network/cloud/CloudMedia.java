package io.switchboard.network.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.network.InboundMessage;
import io.switchboard.outbound.AnswerTooLarge;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.client.util.MultiPartRequestContent;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Files between this node and Meta's Cloud API, for one number's link. Out: a file stored here is uploaded to the
 * number's {@code POST /{phone_number_id}/media} the first time it is sent, and every message names it by the id Meta
 * gave it, for {@link #META_KEEPS} of the 30 days Meta keeps an upload (then it goes up again). In: Meta's webhook names
 * an incoming file by id only, so it is retrieved ({@code GET /{media_id}}, whose URL lasts 5 minutes) and downloaded
 * with the number's token, then handed on inline, as the simulated network hands its files.
 */
final class CloudMedia {
    static final Set<String> TYPES = Set.of("image", "video", "audio", "document", "sticker");
    /** The largest file Meta carries: a 100 MB document. */
    static final long MAX_BYTES = 100L * 1024 * 1024;
    /** A day short of Meta's 30: an id never goes out in a message Meta would no longer know it in. */
    static final Duration META_KEEPS = Duration.ofDays(29);
    private static final int MAX_ANSWER_BYTES = 1_048_576;
    /** A download may be large: it gets longer than one Graph call, at least 100 KB a second. */
    private static final long DOWNLOAD_BYTES_PER_SECOND = 100_000;

    /** Meta did not take the upload, or gave no file: what it answered, to act on as on an answer to a send. */
    static final class Refused extends Exception {
        final transient GraphAnswer answer;

        Refused(GraphAnswer answer) {
            super(answer.toString());
            this.answer = answer;
        }
    }

    private final CloudTarget target;
    private final CloudLinks links;
    private final NodeMedia files;

    CloudMedia(CloudTarget target, CloudLinks links, NodeMedia files) {
        this.target = target;
        this.links = links;
        this.files = files;
    }

    /** Whether a stored message object names a file of ours (our id and its sha256), not a link. */
    static boolean ours(String type, JsonNode object) {
        return TYPES.contains(type) && object.has("id") && object.has("sha256");
    }

    /**
     * The message object as Meta takes it: our file's id swapped for Meta's (uploading the file first when the
     * number has not), with only the fields Meta's media object has.
     */
    ObjectNode forMeta(ObjectNode object, long now) throws Refused, IOException, TimeoutException, InterruptedException {
        String ours = object.path("id").asText();
        Optional<String> known = files.uploadedId(target.number(), ours, now - META_KEEPS.toMillis());
        String metaId = known.isPresent() ? known.get() : uploadOnce(ours, now);
        ObjectNode sent = links.json().createObjectNode().put("id", metaId);
        for (String field : new String[] {"caption", "filename"}) if (object.has(field)) sent.set(field, object.get(field));
        return sent;
    }

    /** Uploads the file, or waits for the upload another lane of the number has under way. */
    private String uploadOnce(String ours, long now) throws Refused, IOException, TimeoutException, InterruptedException {
        String key = target.number() + "/" + ours;
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> underWay = links.uploading().putIfAbsent(key, mine);
        if (underWay != null) return outcome(underWay);
        try {
            mine.complete(upload(ours, now));
        } catch (Refused | IOException | TimeoutException | RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            links.uploading().remove(key, mine);
        }
        return outcome(mine);
    }

    private static String outcome(CompletableFuture<String> upload)
            throws Refused, IOException, TimeoutException, InterruptedException {
        try {
            return upload.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Refused refused -> throw refused;
                case IOException io -> throw io;
                case TimeoutException timeout -> throw timeout;
                case RuntimeException runtime -> throw runtime;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    private String upload(String ours, long now) throws Refused, IOException, TimeoutException, InterruptedException {
        NodeMedia.File file = files.read(target.number(), ours).orElseThrow(() -> new Refused(new GraphAnswer.Rejected(
                CloudLink.UPLOAD_ERROR, "media " + ours + " is no longer on this node (expired or deleted)")));
        MultiPartRequestContent form = new MultiPartRequestContent();
        form.addFieldPart("messaging_product", new StringRequestContent("whatsapp"), null);
        form.addFieldPart("type", new StringRequestContent(file.mimeType()), null);
        form.addFilePart("file", file.filename() == null ? "file" : file.filename(),
                new BytesRequestContent(file.mimeType(), file.bytes()), null);
        form.close();
        Request request = authorized(target.graph(target.phoneNumberId() + "/media"), links.settings().timeout())
                .method(HttpMethod.POST).body(form);
        OutboundHttp.Received answer = exchange(request);
        String metaId = answer.status() / 100 == 2 ? id(answer.body()) : "";
        if (metaId.isEmpty()) throw new Refused(answer.status() / 100 == 2
                ? GraphAnswer.badAnswer("an upload answered " + answer.status() + " without an id")
                : GraphAnswer.of(answer.status(), answer.body(), links.json()));
        files.uploaded(target.number(), ours, metaId, now);
        return metaId;
    }

    /**
     * The incoming message with its file inline ({@code data}, base64) in place of Meta's id, or, when Meta has no such
     * file or it is larger than Meta carries, with an {@code error} saying so (the message still goes on).
     *
     * @throws IOException, TimeoutException when Meta could not be reached or failed: the webhook is then refused, and
     *     Meta sends it again
     */
    InboundMessage inline(InboundMessage message) throws IOException, TimeoutException, InterruptedException {
        ObjectNode object = (ObjectNode) links.json().readTree(message.payload());
        String metaId = object.path("id").asText();
        ObjectNode kept = object.deepCopy();
        kept.remove(java.util.List.of("id", "sha256"));
        try {
            OutboundHttp.Received described = exchange(authorized(target.graph(metaId + "?phone_number_id="
                    + target.phoneNumberId()), links.settings().timeout()));
            if (described.status() / 100 != 2) throw refusal(described);
            JsonNode about = links.json().readTree(described.body());
            long size = about.path("file_size").asLong(-1);
            Duration timeout = links.settings().timeout().plusSeconds(Math.max(size, 0) / DOWNLOAD_BYTES_PER_SECOND);
            OutboundHttp.Received file = links.http().exchange(authorized(URI.create(about.path("url").asText()),
                    timeout), MAX_BYTES);
            if (file.status() / 100 != 2) throw refusal(file);
            kept.put("mime_type", about.path("mime_type").asText(object.path("mime_type").asText()));
            kept.put("data", Base64.getEncoder().encodeToString(file.body()));
        } catch (AnswerTooLarge e) {
            kept.put("error", "the file is larger than WhatsApp carries: " + e.getMessage());
        } catch (Refused e) {
            kept.put("error", "Meta did not give the file: " + e.getMessage());
        } catch (IllegalArgumentException e) { // no URL, or one that is not a URL
            kept.put("error", "Meta gave no URL to download the file from");
        } catch (OutboundUrls.Refused e) {
            kept.put("error", "the file's URL may not be called: " + e.getMessage());
        }
        return message.withPayload(kept.toString());
    }

    /** A failed answer: thrown as is when it is Meta's trouble (sent again), else a refusal (final). */
    private Refused refusal(OutboundHttp.Received answer) throws IOException {
        GraphAnswer graph = GraphAnswer.of(answer.status(), answer.body(), links.json());
        if (graph instanceof GraphAnswer.Rejected) return new Refused(graph);
        throw new IOException("Meta answered " + answer.status() + " (" + graph + ")");
    }

    private String id(byte[] body) {
        try {
            return links.json().readTree(body).path("id").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private Request authorized(URI uri, Duration timeout) {
        return links.http().request(uri, timeout)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + target.accessToken()));
    }

    private OutboundHttp.Received exchange(Request request) throws IOException, TimeoutException, InterruptedException {
        try {
            return links.http().exchange(request, MAX_ANSWER_BYTES);
        } catch (OutboundUrls.Refused e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}

package io.switchboard.engine.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.engine.Engine;
import io.switchboard.engine.NumberLine;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import io.switchboard.engine.validation.MediaIds;
import io.switchboard.store.Ids;
import io.switchboard.store.MediaFile;
import io.switchboard.store.MediaFiles;
import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.ids.NodeIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A project's media: files taken in (uploaded, or fetched from a message's link) after WhatsApp's type and size
 * checks, sealed under the data key of the business number they are for, read back by their project only, and
 * forgotten after {@link #KEPT} as WhatsApp forgets uploaded media.
 */
public final class MediaLibrary {
    public static final Duration KEPT = Duration.ofDays(30);
    public static final int MAX_FILENAME = 240;
    private static final Logger LOG = LoggerFactory.getLogger(MediaLibrary.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MediaFiles files;
    private final Engine engine;
    private final MediaUrls urls;
    private final NodeIds ids;
    private final Clock clock;
    /** The most bytes of uploaded media a project may keep stored (0: no limit). */
    private final long quotaBytes;

    public MediaLibrary(MediaFiles files, Engine engine, MediaUrls urls, NodeIds ids, Clock clock, long quotaBytes) {
        this.files = files;
        this.engine = engine;
        this.urls = urls;
        this.ids = ids;
        this.clock = clock;
        this.quotaBytes = quotaBytes;
    }

    /**
     * Stores a file the project uploads, within its quota: what its stored media take, with this file, must fit.
     *
     * @throws MediaQuotaExceeded when it does not (nothing is stored); else as {@link #store}
     */
    public MediaFile upload(Intake intake, InputStream content) {
        if (quotaBytes == 0) return store(intake, content);
        long used = files.storedBytes(intake.projectId(), clock.millis());
        if (used >= quotaBytes) throw new MediaQuotaExceeded(intake.names().content(), quotaBytes, used);
        MediaFile file = store(intake, content);
        long after = files.storedBytes(intake.projectId(), clock.millis());
        if (after > quotaBytes) { // uploads under way at once can pass the check together: the last one to end backs out
            files.delete(file.projectId(), file.id());
            throw new MediaQuotaExceeded(intake.names().content(), quotaBytes, after - file.size());
        }
        return file;
    }

    /** Where a file comes from and what it says it is; {@code filename} may be null; {@code names}: the request's. */
    public record Intake(String projectId, String number, String mimeType, String filename, Names names) {}

    /** The request's names for the number, the type and the content, for errors. */
    public record Names(String number, String type, String content) {}

    /**
     * Checks and stores a file, reading {@code content} to its end.
     *
     * @throws InvalidInput for a number not the project's, a type WhatsApp does not take, an empty file
     * @throws MediaTooLarge for a file larger than its type's limit (nothing is stored)
     */
    public MediaFile store(Intake intake, InputStream content) {
        Names fields = intake.names();
        DataKey key = keyOf(intake.projectId(), intake.number()).orElseThrow(() -> new InvalidInput("unknown_number",
                fields.number() + " " + intake.number() + " is not a number of this project", fields.number()));
        String mimeType = MediaTypes.bare(intake.mimeType());
        String type = MediaTypes.messageTypeOf(mimeType).orElseThrow(() -> new InvalidInput("unsupported_media_type",
                fields.type() + " '" + mimeType + "' is not a media type WhatsApp takes; use one of "
                        + MediaTypes.allMimeTypes(), fields.type()));
        String filename = intake.filename() == null || intake.filename().isBlank() ? null : intake.filename();
        if (filename != null && Fields.length(filename) > MAX_FILENAME) {
            throw new InvalidInput("too_long", "the file name has " + Fields.length(filename)
                    + " characters; the limit is " + MAX_FILENAME, fields.content());
        }
        long now = clock.millis();
        MediaFiles.Upload upload = new MediaFiles.Upload(ids.next(), intake.projectId(), intake.number(), mimeType,
                filename, now, now + KEPT.toMillis());
        MediaFile file;
        try {
            file = files.store(upload, key, content, head -> MediaTypes.maxBytes(type, head));
        } catch (MediaFiles.TooLarge e) {
            throw new MediaTooLarge(fields.content(), type, mimeType, e.limit());
        }
        if (file.size() == 0) {
            files.delete(file.projectId(), file.id());
            throw new InvalidInput("empty_media", fields.content() + " is empty", fields.content());
        }
        return file;
    }

    /** The project's file, unless it has none of that id (or it expired). */
    public Optional<MediaFile> find(String projectId, String id) {
        long parsed = Ids.parse(id);
        return parsed < 0 ? Optional.empty() : files.find(projectId, parsed, clock.millis());
    }

    /** A file the number may send: one of its project's, unless it has none of that id (or it expired). */
    public Optional<MediaFile> sendableFrom(String number, String id) {
        return engine.line(number).flatMap(line -> find(line.project().id(), id));
    }

    /** Any project's file, for a signed URL (the signature, not a token, says who may have it). */
    public Optional<MediaFile> findSigned(String id, String expires, String signature) {
        if (urls.check(id, expires, signature) != MediaUrls.Check.VALID) return Optional.empty();
        return files.find(Ids.parse(id), clock.millis());
    }

    public MediaUrls urls() {
        return urls;
    }

    /**
     * An incoming media message's file, as the network carries it inline ({@code {"mime_type","data":"<base64>",
     * "caption"?}}): checked and stored like an upload, and answered as {@code {"id","mime_type","sha256",
     * "file_size","caption"?,"url"}}, the url signed and expiring. A file that cannot be taken (a type or size
     * WhatsApp would not carry) is answered as {@code {"mime_type","caption"?,"error"}}: the message is still
     * stored and handed on, without its file.
     */
    public String receive(String projectId, String number, String messageType, String payload) {
        ObjectNode object;
        try {
            object = (ObjectNode) JSON.readTree(payload);
        } catch (IOException | ClassCastException e) {
            return payload;
        }
        ObjectNode kept = object.deepCopy();
        kept.remove("data");
        if (!object.has("data") && object.has("error")) return payload; // its file could not be had (from Meta)
        try {
            byte[] bytes = Base64.getDecoder().decode(object.path("data").asText());
            MediaFile file = store(new Intake(projectId, number, object.path("mime_type").asText(), null,
                    new Names("number", "mime_type", "data")), new ByteArrayInputStream(bytes));
            if (!MediaTypes.messageTypeOf(file.mimeType()).orElse("").equals(messageType)) {
                files.delete(projectId, file.id());
                throw new InvalidInput("media_type_mismatch", messageType + " with " + file.mimeType(), "mime_type");
            }
            return describe(kept, file).put("url", urls.url(file.id())).toString();
        } catch (InvalidInput | MediaTooLarge | IllegalArgumentException e) {
            LOG.info("incoming {} for {}: its file was not kept: {}", messageType, number, e.getMessage());
            return kept.put("error", e.getMessage()).toString();
        }
    }

    /** Writes the file's bytes, a chunk at a time. */
    public void copy(MediaFile file, OutputStream out) throws IOException {
        DataKey key = keyOf(file.projectId(), file.number()).orElseThrow(() -> new IllegalStateException(
                "media " + Ids.format(file.id()) + ": its number " + file.number() + " is not open"));
        for (int seq = 0; seq < file.chunks(); seq++) out.write(key.openChunk(file.id(), seq, files.sealedChunk(file.id(), seq)));
    }

    public boolean delete(String projectId, String id) {
        long parsed = Ids.parse(id);
        return parsed >= 0 && files.delete(projectId, parsed);
    }

    /** Deletes the files past their 30 days; answers how many. */
    public int sweep() {
        return files.sweep(clock.millis());
    }

    /**
     * The message objects of one project that name uploaded media by id: the media must be the project's and of a
     * MIME type the message type takes; the object sent then carries its {@code mime_type}, {@code sha256} and
     * {@code file_size}, so the network knows the file it delivers.
     */
    public MediaIds ids(String projectId) {
        return (messageType, object, path) -> {
            String field = Fields.path(path, "id");
            String id = object.path("id").asText();
            MediaFile file = find(projectId, id).orElseThrow(() -> new InvalidInput("unknown_media", field + " '" + id
                    + "' is not a media of this project (or it expired after " + KEPT.toDays() + " days)", field));
            if (!MediaTypes.messageTypeOf(file.mimeType()).orElse("").equals(messageType)) {
                throw new InvalidInput("media_type_mismatch", field + " is " + file.mimeType() + "; " + messageType
                        + " messages take " + MediaTypes.mimeTypes(messageType), field);
            }
            return describe(object, file);
        };
    }

    /** The media object as sent: the caller's fields (caption, filename), the media's id and what it is. */
    public static ObjectNode describe(ObjectNode object, MediaFile file) {
        ObjectNode sent = object.deepCopy();
        sent.remove("link");
        sent.put("id", Ids.format(file.id())).put("mime_type", file.mimeType()).put("sha256", file.sha256())
                .put("file_size", file.size());
        return sent;
    }

    /** The data key of the project's number, when the number is the project's. */
    private Optional<DataKey> keyOf(String projectId, String number) {
        return engine.line(number).filter(line -> line.project().id().equals(projectId)).map(NumberLine::key);
    }
}

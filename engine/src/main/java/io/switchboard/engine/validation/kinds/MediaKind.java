package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code image}, {@code video}, {@code audio}, {@code document} and {@code sticker}: the Cloud API's media object,
 * exactly one of {@code link} (an http or https URL) or {@code id} (a media id from an upload), and where WhatsApp
 * allows them a {@code caption} and a {@code filename}.
 *
 * <p>Limits: Meta's media message pages ("image messages", "video messages", "document messages") give the caption
 * "Maximum 1024 characters" and take none on audio and sticker messages; only documents have a filename. The
 * filename's 240 characters are from a reseller's guide ("Documents should have names ... up to 240 characters");
 * Meta publishes none. Media sizes per type are checked where the media is uploaded or fetched, not here.
 */
final class MediaKind implements Kind {
    static final int MAX_CAPTION = 1_024;
    static final int MAX_FILENAME = 240;
    /** Our own bound, the length of the URL columns elsewhere in the store. */
    static final int MAX_LINK = 2_048;
    /** A media id as {@code POST /v1/media} makes it: 13 characters of Crockford base32, like every id here. */
    static final Pattern MEDIA_ID = Pattern.compile("[0-9A-Z]{13}");

    static final MediaKind IMAGE = new MediaKind(true, false);
    static final MediaKind VIDEO = new MediaKind(true, false);
    static final MediaKind AUDIO = new MediaKind(false, false);
    static final MediaKind DOCUMENT = new MediaKind(true, true);
    static final MediaKind STICKER = new MediaKind(false, false);

    private final boolean caption;
    private final boolean filename;
    private final Set<String> fields;

    private MediaKind(boolean caption, boolean filename) {
        this.caption = caption;
        this.filename = filename;
        Set<String> allowed = new HashSet<>(Set.of("link", "id"));
        if (caption) allowed.add("caption");
        if (filename) allowed.add("filename");
        this.fields = Set.copyOf(allowed);
    }

    /** The same media without a caption: a header of an interactive message or a template parameter. */
    MediaKind withoutCaption() {
        return new MediaKind(false, filename);
    }

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, fields);
        String link = Fields.optionalText(value, "link", path);
        String id = Fields.optionalText(value, "id", path);
        if ((link == null) == (id == null)) {
            throw new InvalidInput(link == null ? "missing_media" : "ambiguous_media",
                    path + " needs exactly one of link (an http or https URL) or id (an uploaded media id)",
                    Fields.path(path, link == null ? "link" : "id"));
        }
        if (link != null) checkLink(link, Fields.path(path, "link"));
        else if (!MEDIA_ID.matcher(id).matches()) {
            throw new InvalidInput("invalid_media_id", Fields.path(path, "id") + " must be a media id of 13 characters "
                    + "(0-9, A-Z) as POST /v1/media answers it, got '" + id + "'", Fields.path(path, "id"));
        }
        if (caption) Fields.optionalText(value, "caption", path, MAX_CAPTION);
        if (filename) {
            String name = Fields.optionalText(value, "filename", path, MAX_FILENAME);
            if (name != null && name.isBlank()) {
                throw new InvalidInput("empty_field", Fields.path(path, "filename") + " must not be empty",
                        Fields.path(path, "filename"));
            }
        }
    }

    static void checkLink(String link, String field) {
        if (Fields.length(link) > MAX_LINK) {
            throw new InvalidInput("too_long", field + " has " + Fields.length(link) + " characters; the limit is "
                    + MAX_LINK, field);
        }
        try {
            URI uri = new URI(link);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidInput("invalid_link", field + " must be an http or https URL, got '" + link + "'", field);
    }
}

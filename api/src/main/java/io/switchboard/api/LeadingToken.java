package io.switchboard.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * A JSON object body whose top-level {@code token} is read before the rest of it: the Push API carries its bearer
 * token in the body, and a caller without a valid one must not make the node read and parse up to 4 MiB. The scan
 * skips the fields before {@code token} without building them and stops right after it; {@link #rest} then gives the
 * whole body again (the bytes the scan took, then the unread remainder) for the one full parse.
 */
final class LeadingToken {
    private final String token;
    private final byte[] scanned;
    private final InputStream unread;

    private LeadingToken(String token, byte[] scanned, InputStream unread) {
        this.token = token;
        this.scanned = scanned;
        this.unread = unread;
    }

    /**
     * Scans {@code body} up to its top-level {@code token}; a body that is not a JSON object up to there is refused
     * as {@code invalid_json}, as any body is.
     */
    static LeadingToken scan(InputStream body, ObjectMapper json) {
        Recording recording = new Recording(body);
        try (JsonParser parser = json.getFactory().createParser(recording)) {
            parser.disable(StreamReadFeature.AUTO_CLOSE_SOURCE.mappedFeature());
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("invalid_json", "the body must be a JSON object", null);
            }
            String token = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isToken = parser.currentName().equals("token");
                JsonToken value = parser.nextToken();
                if (isToken) {
                    if (value == JsonToken.VALUE_STRING) token = parser.getText();
                    break;
                }
                parser.skipChildren();
            }
            return new LeadingToken(token, recording.copied.toByteArray(), body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the body could not be read: " + e.getMessage(), null);
        }
    }

    /** The top-level {@code token} if it is a string, else null (no token: the caller is refused). */
    String token() {
        return token;
    }

    /** The whole body, as it came: read it once. */
    InputStream whole() {
        return new SequenceInputStream(new ByteArrayInputStream(scanned), unread);
    }

    /** Keeps a copy of every byte read through it: the parser reads ahead in blocks, past where its scan stops. */
    private static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream copied = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) copied.write(b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) copied.write(buffer, offset, n);
            return n;
        }
    }
}

package io.switchboard.app.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WhatsApp's media limits on upload, from both sides of each boundary: a file at its type's limit is taken (201), one
 * byte more is refused with 413 naming the field and the limit, and nothing of it stays in the store; a type
 * WhatsApp does not take, a missing file or number, is a 400 naming the field.
 */
class MediaLimitsTest {
    private static final String NUMBER = "+919800000001";
    private static final int KIB = 1_024;
    private static final int MIB = 1_024 * KIB;

    @TempDir static Path tempDir;
    static Harness harness;
    static String token;
    static Uploads http;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
        token = harness.project("Limits");
        harness.number(token, NUMBER, 50);
        http = new Uploads(harness.node.httpPort());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("image/jpeg", 5 * MIB, false),
                Arguments.of("image/png", 5 * MIB, false),
                Arguments.of("video/mp4", 16 * MIB, false),
                Arguments.of("video/3gpp", 16 * MIB, false),
                Arguments.of("audio/ogg; codecs=opus", 16 * MIB, false),
                Arguments.of("audio/mpeg", 16 * MIB, false),
                Arguments.of("application/pdf", 100 * MIB, false),
                Arguments.of("image/webp", 100 * KIB, false),
                Arguments.of("image/webp", 500 * KIB, true));
    }

    @ParameterizedTest(name = "{0} up to {1} bytes (animated: {2})")
    @MethodSource("limits")
    void aFileAtItsTypesLimitIsTakenAndOneByteMoreIsRefused(String type, int limit, boolean animated) throws Exception {
        Uploads.Answer ok = http.upload(token, NUMBER, bytes(type, limit, animated), type);
        assertThat(ok.status()).as("at the limit: " + new String(ok.bytes())).isEqualTo(201);
        assertThat(http.get(token, ok.json().path("id").asText()).bytes()).hasSize(limit);
        long chunks = chunks();

        Uploads.Answer refused = http.upload(token, NUMBER, bytes(type, limit + 1, animated), type);
        assertThat(refused.status()).as(new String(refused.bytes())).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("media_too_large");
        assertThat(refused.field()).isEqualTo("file");
        assertThat(refused.json().path("error").path("message").asText()).contains(String.valueOf(limit));
        assertThat(chunks()).as("nothing of it stays").isEqualTo(chunks);
    }

    @Test
    void aTypeWhatsAppDoesNotTakeIsRefusedNamingTheField() throws Exception {
        Uploads.Answer gif = http.upload(token, NUMBER, Uploads.file(100), "image/gif");
        assertThat(gif.status()).isEqualTo(400);
        assertThat(gif.code()).isEqualTo("unsupported_media_type");
        assertThat(gif.field()).isEqualTo("type");
        assertThat(gif.json().path("error").path("message").asText()).contains("image/jpeg");
        // The type field, as the Cloud API's upload takes it, wins over the part's own Content-Type.
        Uploads.Answer typed = http.upload(token, Uploads.file(100), "application/octet-stream", "a.mp4",
                Uploads.fields("number", NUMBER, "type", "video/mp4"));
        assertThat(typed.status()).isEqualTo(201);
    }

    @Test
    void aMissingFileOrNumberOrAnEmptyFileIsRefusedNamingTheField() throws Exception {
        Uploads.Answer noFile = http.upload(token, null, null, null, Uploads.fields("number", NUMBER, "type", "image/png"));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.field()).isEqualTo("file");
        Uploads.Answer noNumber = http.upload(token, Uploads.file(10), "image/png", "a.png", Map.of());
        assertThat(noNumber.status()).isEqualTo(400);
        assertThat(noNumber.field()).isEqualTo("number");
        Uploads.Answer empty = http.upload(token, NUMBER, new byte[0], "image/png");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.code()).isEqualTo("empty_media");
        Uploads.Answer notMine = http.upload(token, "+919800000099", Uploads.file(10), "image/png");
        assertThat(notMine.status()).isEqualTo(400);
        assertThat(notMine.field()).isEqualTo("number");
    }

    @Test
    void otherRoutesKeepTheSmallBodyLimit() throws Exception {
        byte[] big = new byte[5 * MIB];
        java.util.Arrays.fill(big, (byte) 'a');
        var answer = new io.switchboard.app.testing.Http(harness.node.httpPort())
                .call("POST", "/v1/messages", token, new String(big));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.code()).isEqualTo("body_too_large");
    }

    @Test
    void uploadingAndDeletingTakeTheSendScopeAndReadingTheReadScope() throws Exception {
        var admin = new io.switchboard.app.testing.Http(harness.node.httpPort());
        Map<String, String> byScope = new java.util.HashMap<>();
        for (String scope : java.util.List.of("send", "read", "admin")) {
            byScope.put(scope, admin.call("POST", "/v1/tokens", token, Map.of("name", scope, "scopes",
                    java.util.List.of(scope))).body().path("token").asText());
        }
        byte[] png = Uploads.file(500);
        for (String scope : java.util.List.of("read", "admin")) {
            Uploads.Answer refused = http.upload(byScope.get(scope), NUMBER, png, "image/png");
            assertThat(refused.status()).as(scope).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("insufficient_scope");
        }
        String id = http.uploaded(byScope.get("send"), NUMBER, png, "image/png");
        assertThat(http.get(byScope.get("send"), id).status()).isEqualTo(403);
        assertThat(http.get(byScope.get("read"), id).bytes()).isEqualTo(png);
        assertThat(http.delete(byScope.get("read"), id).status()).isEqualTo(403);
        assertThat(http.delete(byScope.get("admin"), id).status()).isEqualTo(403);
        assertThat(http.delete(byScope.get("send"), id).status()).isEqualTo(204);
    }

    private static byte[] bytes(String type, int size, boolean animated) {
        return type.equals("image/webp") ? Uploads.webp(size, animated) : Uploads.file(size);
    }

    private static long chunks() throws Exception {
        try (Connection store = harness.storeConnection()) {
            return MediaStorageTest.count(store, "SELECT COUNT(*) FROM media_chunks");
        }
    }
}

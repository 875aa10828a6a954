package io.switchboard.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.Ids;
import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user sends an image through the simulated network: the node stores its file sealed, and the Webhook gets the
 * image's id, type, size and SHA-256 with a URL on the node, signed and expiring, that gives the file without a
 * token; a URL tampered with or past its time is refused.
 */
class IncomingMediaTest {
    private static final String NUMBER = MediaStorageTest.NUMBER;
    private static final String USER = "+15550009000";
    private static final SimConfig QUIET_USERS = SimConfig.defaults().withReplyProbability(0).withReadProbability(0);
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void anIncomingImageReachesTheWebhookAsASignedUrlOfItsStoredFile(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("Bot");
            harness.number(token, NUMBER, 100);
            byte[] png = Uploads.file(40_000, new byte[] {(byte) 0x89, 'P', 'N', 'G'});

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    harness.network.injectMedia(NUMBER, USER, "image", "image/png", png, "my plant"));

            JsonNode image = webhookImage(harness);
            assertThat(image.path("mime_type").asText()).isEqualTo("image/png");
            assertThat(image.path("sha256").asText()).isEqualTo(Uploads.sha256(png));
            assertThat(image.path("file_size").asLong()).isEqualTo(png.length);
            assertThat(image.path("caption").asText()).isEqualTo("my plant");
            assertThat(image.has("data")).as("the file goes by its URL").isFalse();
            String url = image.path("url").asText();
            assertThat(url).startsWith("http://127.0.0.1:" + harness.node.httpPort() + "/v1/media/" + image.path("id").asText()
                    + "?expires=");

            HttpResponse<byte[]> fetched = fetch(url);
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(fetched.body()).isEqualTo(png);
            assertThat(new Uploads(harness.node.httpPort()).get(token, image.path("id").asText()).bytes())
                    .as("and with the project's token").isEqualTo(png);
            try (var store = harness.storeConnection()) {
                assertThat(MediaStorageTest.count(store, "SELECT COUNT(*) FROM media_chunks WHERE media_id = "
                        + Ids.parse(image.path("id").asText()))).isEqualTo(1);
            }

            String signature = url.substring(url.indexOf("signature=") + 10);
            String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
            List<String> tampered = List.of(url.replace(signature, flipped),
                    url.replaceFirst("expires=(\\d+)", "expires=9$1"),
                    url.replace(image.path("id").asText(), Ids.format(ProcessIds.next())),
                    url.substring(0, url.indexOf("&signature=")));
            for (String bad : tampered) {
                HttpResponse<byte[]> refused = fetch(bad);
                assertThat(refused.statusCode()).as(bad).isIn(401, 403);
                assertThat(new String(refused.body())).doesNotContain("PNG");
            }
            assertThat(new String(fetch(tampered.getFirst()).body())).contains("invalid_signature");
        }
    }

    @Test
    void aSignedUrlPastItsTimeIsRefused() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS, Map.of("media.url-valid-s", 1))) {
            String token = harness.project("Bot");
            harness.number(token, NUMBER, 100);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    harness.network.injectMedia(NUMBER, USER, "sticker", "image/webp", Uploads.webp(2_000, false), null));
            String url = webhookImage(harness, "sticker").path("url").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> fetch(url).statusCode() == 403);
            assertThat(new String(fetch(url).body())).contains("url_expired");
        }
    }

    @Test
    void anIncomingFileWhatsAppWouldNotCarryReachesTheWebhookWithoutAUrl() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS)) {
            String token = harness.project("Bot");
            harness.number(token, NUMBER, 100);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    harness.network.injectMedia(NUMBER, USER, "image", "image/gif", Uploads.file(500), null));
            JsonNode image = webhookImage(harness);
            assertThat(image.has("url")).isFalse();
            assertThat(image.path("error").asText()).contains("image/gif");
        }
    }

    private static JsonNode webhookImage(Harness harness) {
        return webhookImage(harness, "image");
    }

    private static JsonNode webhookImage(Harness harness, String type) {
        List<Receiver.Call> calls = await().atMost(Duration.ofSeconds(20))
                .until(() -> harness.receiver.calls("/webhook"), list -> !list.isEmpty());
        JsonNode body = calls.getFirst().body();
        assertThat(body.path("type").asText()).isEqualTo(type);
        return body.path(type);
    }

    private HttpResponse<byte[]> fetch(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

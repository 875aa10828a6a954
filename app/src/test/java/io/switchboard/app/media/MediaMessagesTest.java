package io.switchboard.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.MediaHost;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Media messages reach the simulated network with the file they name: by uploaded id, or by a link the node fetched
 * and stored before sending. The network gets the stored media's id, MIME type, size and SHA-256, which the test
 * compares with the file it uploaded or served; the media then reads back through {@code GET /v1/media/{id}}.
 */
class MediaMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NUMBER = MediaStorageTest.NUMBER;
    private static final SimConfig QUIET_USERS = SimConfig.defaults().withReplyProbability(0).withReadProbability(0);

    @TempDir Path tempDir;

    record Sample(String type, String mimeType, byte[] bytes, Map<String, Object> extra) {}

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void eachMediaKindByUploadedIdReachesTheNetworkIntact(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("Media");
            harness.number(token, NUMBER, 100);
            Uploads http = new Uploads(harness.node.httpPort());
            List<Sample> samples = List.of(
                    new Sample("image", "image/jpeg", Uploads.file(1_500_000, new byte[] {(byte) 0xFF, (byte) 0xD8}),
                            Map.of("caption", "The aloe 🌵")),
                    new Sample("video", "video/mp4", Uploads.file(2_100_000), Map.of("caption", "How to repot it")),
                    new Sample("audio", "audio/ogg", Uploads.file(40_000), Map.of()),
                    new Sample("document", "application/pdf", Uploads.file(70_000, "%PDF".getBytes()),
                            Map.of("caption", "Your invoice", "filename", "invoice-4711.pdf")),
                    new Sample("sticker", "image/webp", Uploads.webp(30_000, false), Map.of()));
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                String id = http.uploaded(token, NUMBER, sample.bytes(), sample.mimeType());
                Map<String, Object> object = new LinkedHashMap<>(sample.extra());
                object.put("id", id);
                String user = "+1555000" + (2_000 + i);
                JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("from", NUMBER, "to", user,
                        "type", sample.type(), sample.type(), object));

                JsonNode got = receivedBy(harness, user, accepted, sample.type());
                assertThat(got.path("id").asText()).isEqualTo(id);
                assertThat(got.path("mime_type").asText()).isEqualTo(sample.mimeType());
                assertThat(got.path("file_size").asLong()).isEqualTo(sample.bytes().length);
                assertThat(got.path("sha256").asText()).as(sample.type() + ": the network got the uploaded file")
                        .isEqualTo(Uploads.sha256(sample.bytes()));
                sample.extra().forEach((field, value) -> assertThat(got.path(field).asText()).isEqualTo(value));
                assertThat(Uploads.sha256(http.get(token, got.path("id").asText()).bytes())).isEqualTo(Uploads.sha256(sample.bytes()));
            }
        }
    }

    @Test
    void aMediaIdOfAnotherTypeOrUnknownIsRefusedNamingTheField() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS)) {
            String token = harness.project("Media");
            harness.number(token, NUMBER, 100);
            Uploads http = new Uploads(harness.node.httpPort());
            String video = http.uploaded(token, NUMBER, Uploads.file(1_000), "video/mp4");
            long before = harness.node.messageCount();

            ApiClient.Answer mismatch = harness.api.post("/v1/messages", token, Map.of("messages", List.of(
                    Map.of("from", NUMBER, "to", "+15550003000", "type", "video", "video", Map.of("id", video)),
                    Map.of("from", NUMBER, "to", "+15550003000", "type", "image", "image", Map.of("id", video)))));
            assertThat(mismatch.status()).isEqualTo(400);
            assertThat(mismatch.body().path("error").path("code").asText()).isEqualTo("media_type_mismatch");
            assertThat(mismatch.body().path("error").path("field").asText()).isEqualTo("messages[1].image.id");
            assertThat(mismatch.body().path("error").path("message").asText()).contains("image/jpeg, image/png");

            ApiClient.Answer unknown = harness.api.post("/v1/messages", token, Map.of("from", NUMBER,
                    "to", "+15550003000", "type", "sticker", "sticker", Map.of("id", Ids.format(ProcessIds.next()))));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body().path("error").path("code").asText()).isEqualTo("unknown_media");
            assertThat(unknown.body().path("error").path("field").asText()).isEqualTo("sticker.id");
            assertThat(harness.node.messageCount()).as("nothing written").isEqualTo(before);
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aLinkIsFetchedAfterTheAnswerStoredAndSentAsItsMedia(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS); MediaHost host = new MediaHost()) {
            String token = harness.project("Media");
            harness.number(token, NUMBER, 100);
            byte[] png = Uploads.file(1_300_000, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            // The host takes a second to answer: the API's 202 does not wait for it.
            String link = host.serve("/p/aloe.png", new MediaHost.Served(200, "image/png", png, 1_000));

            long start = System.nanoTime();
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("from", NUMBER,
                    "to", "+15550004000", "type", "image", "image", Map.of("link", link, "caption", "Aloe")));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("accepted before the fetch")
                    .isLessThan(Duration.ofMillis(900));

            JsonNode got = receivedBy(harness, "+15550004000", accepted, "image");
            assertThat(got.has("link")).as("the stored media replaces the link").isFalse();
            assertThat(got.path("mime_type").asText()).isEqualTo("image/png");
            assertThat(got.path("file_size").asLong()).isEqualTo(png.length);
            assertThat(got.path("sha256").asText()).isEqualTo(Uploads.sha256(png));
            assertThat(got.path("caption").asText()).isEqualTo("Aloe");
            Uploads.Answer stored = new Uploads(harness.node.httpPort()).get(token, got.path("id").asText());
            assertThat(stored.status()).as("stored like an upload").isEqualTo(200);
            assertThat(Uploads.sha256(stored.bytes())).isEqualTo(Uploads.sha256(png));
        }
    }

    @Test
    void aLinkThatCannotBeFetchedFailsTheMessageWithTheMediaUploadError() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS,
                Map.of("media.fetch-timeout-ms", 1_000)); MediaHost host = new MediaHost()) {
            String token = harness.project("Media");
            harness.number(token, NUMBER, 100);
            Map<String, String> links = new LinkedHashMap<>();
            links.put("answered 404", host.serve("/missing.png", new MediaHost.Served(404, "text/plain", "no".getBytes(), 0)));
            links.put("Content-Type 'text/html'", host.serve("/page.png", "text/html", "<html>".getBytes()));
            links.put("sent 5242881 bytes; image media may be at most 5242880",
                    host.serve("/huge.jpg", "image/jpeg", Uploads.file(5 * 1_048_576 + 1)));
            links.put("larger than 5242880 bytes", host.serve("/huge-chunked.jpg",
                    new MediaHost.Served(200, "image/jpeg", Uploads.file(5 * 1_048_576 + 1), 0, true)));
            links.put("did not answer within 1000 ms", host.serve("/slow.png",
                    new MediaHost.Served(200, "image/png", Uploads.file(100), 3_000)));
            links.put("could not be reached", "http://127.0.0.1:1/a.png");

            int i = 0;
            for (Map.Entry<String, String> link : links.entrySet()) {
                String user = "+1555000" + (5_000 + i++);
                String id = harness.api.expect(202, "/v1/messages", token, Map.of("from", NUMBER, "to", user,
                        "type", "image", "image", Map.of("link", link.getValue()))).path("messages").get(0).path("id").asText();
                JsonNode failed = failedEvent(harness, id);
                assertThat(failed.path("error").asText()).as(link.getKey()).contains("131053").contains(link.getKey());
                JsonNode message = harness.api.get("/v1/messages/" + id, token).body();
                assertThat(message.path("status").asText()).isEqualTo("failed");
                assertThat(message.path("error").asText()).contains("131053");
                assertThat(harness.network.received(user)).as("nothing sent").isEmpty();
            }
        }
    }

    @Test
    void oneProjectsHangingLinksDoNotStallAnotherProjectsMedia() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS,
                Map.of("media.fetch-timeout-ms", 10_000)); MediaHost host = new MediaHost()) {
            String slow = harness.project("Slow links");
            harness.number(slow, NUMBER, 100);
            String prompt = harness.project("Prompt links");
            harness.number(prompt, "+15550002222", 100);
            // Answers after 20 s: each fetch of it holds its slot until the 10 s timeout.
            String hanging = host.serve("/hanging.png", new MediaHost.Served(200, "image/png", Uploads.file(100), 20_000));
            for (int i = 0; i < 8; i++) {
                harness.api.expect(202, "/v1/messages", slow, Map.of("from", NUMBER, "to", "+1555000" + (7_000 + i),
                        "type", "image", "image", Map.of("link", hanging)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> host.requests("/hanging.png") >= 2);
            Thread.sleep(500); // the slow project's other fetches had their chance to start too

            String quick = host.serve("/quick.png", "image/png", Uploads.file(1_000));
            JsonNode accepted = harness.api.expect(202, "/v1/messages", prompt, Map.of("from", "+15550002222",
                    "to", "+15550007100", "type", "image", "image", Map.of("link", quick)));
            await().atMost(Duration.ofSeconds(3)).until(() -> !harness.network.received("+15550007100").isEmpty());
            assertThat(receivedBy(harness, "+15550007100", accepted, "image").path("file_size").asLong()).isEqualTo(1_000);
            assertThat(host.requests("/hanging.png")).as("the slow project's fetches under way: its share").isEqualTo(2);
        }
    }

    @Test
    void aLinkToAPrivateAddressIsRefusedUnlessTheOperatorAllowsIt() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS,
                Map.of("allow-private-urls", false)); MediaHost host = new MediaHost()) {
            // No webhooks: they would be on loopback too.
            String token = harness.api.expect(201, "/v1/projects", harness.adminToken, Map.of("name", "Media"))
                    .path("token").asText();
            harness.number(token, NUMBER, 100);
            String link = host.serve("/a.png", "image/png", Uploads.file(1_000));
            String id = harness.api.expect(202, "/v1/messages", token, Map.of("from", NUMBER, "to", "+15550006000",
                    "type", "image", "image", Map.of("link", link))).path("messages").get(0).path("id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    harness.api.get("/v1/messages/" + id, token).body().path("status").asText().equals("failed"));
            String error = harness.api.get("/v1/messages/" + id, token).body().path("error").asText();
            assertThat(error).contains("131053").contains("private_address").contains("127.0.0.1");
            assertThat(harness.network.received("+15550006000")).isEmpty();
        }
    }

    @Test
    void anInstantReplyMayNameUploadedMediaByIdAndAnUnknownIdIsNotSent() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, QUIET_USERS)) {
            String token = harness.project("Bot");
            harness.number(token, NUMBER, 100);
            byte[] menu = Uploads.file(20_000, "%PDF".getBytes());
            String id = new Uploads(harness.node.httpPort()).uploaded(token, NUMBER, menu, "application/pdf");
            String unknown = Ids.format(ProcessIds.next());
            harness.receiver.answer(call -> call.path().equals("/webhook") ? new Receiver.Answer(200,
                    "{\"messages\":[{\"type\":\"document\",\"document\":{\"id\":\"" + id + "\",\"filename\":\"menu.pdf\"}},"
                            + "{\"type\":\"image\",\"image\":{\"id\":\"" + unknown + "\"}}]}") : Receiver.Answer.ok());

            await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(NUMBER, "+15550008000", "menu?"));

            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550008000").isEmpty());
            JsonNode got = JSON.readTree(harness.network.received("+15550008000").getFirst().payload());
            assertThat(got.path("sha256").asText()).isEqualTo(Uploads.sha256(menu));
            assertThat(got.path("filename").asText()).isEqualTo("menu.pdf");
            JsonNode failed = await().atMost(Duration.ofSeconds(20)).until(() -> harness.receiver.events("/events").stream()
                    .filter(e -> e.path("status").asText().equals("failed")).findFirst().orElse(null), e -> e != null);
            assertThat(failed.path("error").asText()).contains("unknown_media").contains(unknown);
            Thread.sleep(500);
            assertThat(harness.network.received("+15550008000")).as("only the document went").hasSize(1);
        }
    }

    /** The media object the user got for the one accepted message, after checking it is that message. */
    private static JsonNode receivedBy(Harness harness, String user, JsonNode accepted, String type) throws Exception {
        String id = accepted.path("messages").get(0).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !harness.network.received(user).isEmpty());
        UserMessage received = harness.network.received(user).getFirst();
        assertThat(received.messageId()).isEqualTo(Ids.parse(id));
        assertThat(received.type()).isEqualTo(type);
        return JSON.readTree(received.payload());
    }

    private static JsonNode failedEvent(Harness harness, String messageId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> harness.receiver.events("/events").stream()
                .filter(e -> e.path("message_id").asText().equals(messageId) && e.path("status").asText().equals("failed"))
                .findFirst().orElse(null), e -> e != null);
    }
}

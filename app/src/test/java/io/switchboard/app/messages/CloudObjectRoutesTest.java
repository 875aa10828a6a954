package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Cloud API's routes besides {@code /messages}, over real HTTP with Meta's shapes: media uploaded as Meta takes it,
 * retrieved, downloaded with the token, sent by its id and deleted; the business profile read and changed within
 * Meta's limits; the phone number, its settings and the project's numbers as a WABA's; a read mark with a typing
 * indicator; any other path under a version in the Graph error shape (code 100, subcode 33). Nothing of one project
 * is another's: its media and numbers are objects that do not exist.
 */
class CloudObjectRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PHONE_NUMBER_ID = NUMBER.substring(1);
    private static final String V = "/v23.0/";
    private static final String PROFILE = V + PHONE_NUMBER_ID + "/whatsapp_business_profile";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void mediaIsUploadedRetrievedDownloadedSentAndDeletedAsOnMetaAndOnlyByItsProject(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Media", 200)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            Uploads uploads = new Uploads(harness.node.httpPort());
            String other = harness.project("Other");
            harness.number(other, "+919800000002", 10);
            byte[] photo = Uploads.file(150_000, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});

            Uploads.Answer uploaded = uploads.upload(V + PHONE_NUMBER_ID + "/media", node.token(), photo, "image/jpeg",
                    "cat.jpg", Uploads.fields("messaging_product", "whatsapp", "type", "image/jpeg"));
            assertThat(uploaded.status()).as(new String(uploaded.bytes())).isEqualTo(200);
            assertThat(uploaded.json().fieldNames()).toIterable().containsExactly("id");
            String id = uploaded.json().path("id").asText();

            Http.Answer retrieved = http.call("GET", V + id, node.token(), null);
            assertThat(retrieved.status()).as(retrieved.body().toString()).isEqualTo(200);
            assertThat(retrieved.body().fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("messaging_product", "url", "mime_type", "sha256", "file_size", "id");
            assertThat(retrieved.body().path("messaging_product").asText()).isEqualTo("whatsapp");
            assertThat(retrieved.body().path("mime_type").asText()).isEqualTo("image/jpeg");
            assertThat(retrieved.body().path("sha256").asText()).isEqualTo(Uploads.sha256(photo));
            assertThat(retrieved.body().path("file_size").asText()).isEqualTo("150000");
            assertThat(retrieved.body().path("id").asText()).isEqualTo(id);
            String url = retrieved.body().path("url").asText();
            Uploads.Answer downloaded = uploads.download(url, node.token());
            assertThat(downloaded.status()).isEqualTo(200);
            assertThat(Uploads.sha256(downloaded.bytes())).as("the URL's bytes").isEqualTo(Uploads.sha256(photo));
            assertThat(uploads.download(url, other).status()).as("another project's token").isEqualTo(404);
            assertThat(http.call("GET", V + id + "?phone_number_id=" + PHONE_NUMBER_ID, node.token(), null).status())
                    .isEqualTo(200);

            // Another project: every call on the media is an object that does not exist, and changes nothing.
            assertNoSuchObject(http.call("GET", V + id, other, null), "get");
            assertNoSuchObject(http.call("DELETE", V + id, other, null), "delete");
            assertNoSuchObject(uploadsAnswer(uploads.upload(V + PHONE_NUMBER_ID + "/media", other, photo, "image/jpeg",
                    "cat.jpg", Uploads.fields("messaging_product", "whatsapp"))), "post");
            // Ours, but asked as another number's.
            harness.number(node.token(), "+919800000003", 10);
            assertNoSuchObject(http.call("GET", V + id + "?phone_number_id=919800000003", node.token(), null), "get");

            Http.Answer sent = http.call("POST", V + PHONE_NUMBER_ID + "/messages", node.token(), Map.of(
                    "messaging_product", "whatsapp", "to", "15550004000", "type", "image",
                    "image", Map.of("id", id, "caption", "A cat")));
            assertThat(sent.status()).as(sent.body().toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received("+15550004000").isEmpty());
            UserMessage delivered = harness.network.received("+15550004000").getFirst();
            assertThat(JSON.readTree(delivered.payload()).path("sha256").asText()).isEqualTo(Uploads.sha256(photo));

            Http.Answer deleted = http.call("DELETE", V + id, node.token(), null);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.body()).isEqualTo(JSON.readTree("{\"success\":true}"));
            assertNoSuchObject(http.call("GET", V + id, node.token(), null), "get");
            assertThat(uploads.download(url, node.token()).status()).isEqualTo(404);

            Uploads.Answer unnamed = uploads.upload(V + PHONE_NUMBER_ID + "/media", node.token(), photo, "image/jpeg",
                    "cat.jpg", Uploads.fields("type", "image/jpeg"));
            assertThat(unnamed.status()).isEqualTo(400);
            assertThat(unnamed.json().path("error").path("code").asInt()).isEqualTo(131008);
            assertThat(unnamed.json().path("error").path("error_data").path("details").asText()).contains("messaging_product");
        }
    }

    @Test
    void theBusinessProfileIsKeptPerNumberWithinMetasLimits() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Profiles", 200)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            String other = harness.project("Other");
            assertThat(http.call("GET", PROFILE, node.token(), null).body())
                    .isEqualTo(JSON.readTree("{\"data\":[{\"messaging_product\":\"whatsapp\"}]}"));

            Map<String, Object> profile = Map.of("messaging_product", "whatsapp", "about", "Open 9 to 5 ☀",
                    "address", "12 MG Road, Bengaluru", "description", "Cakes, baked daily", "email", "orders@cakes.example",
                    "websites", List.of("https://cakes.example", "https://cakes.example/menu"), "vertical", "RESTAURANT");
            Http.Answer changed = http.call("POST", PROFILE, node.token(), profile);
            assertThat(changed.status()).as(changed.body().toString()).isEqualTo(200);
            assertThat(changed.body()).isEqualTo(JSON.readTree("{\"success\":true}"));
            JsonNode read = http.call("GET", PROFILE, node.token(), null).body().path("data").get(0);
            assertThat(JSON.convertValue(read, Map.class)).isEqualTo(profile);
            assertThat(http.call("GET", PROFILE + "?fields=about,email", node.token(), null).body()).isEqualTo(JSON.readTree(
                    "{\"data\":[{\"about\":\"Open 9 to 5 ☀\",\"email\":\"orders@cakes.example\",\"messaging_product\":\"whatsapp\"}]}"));

            // Bad input: Meta's code 100 naming the field, and the profile as it was.
            Map<String, Object> bad = Map.of("about", "x".repeat(140), "email", "not-an-address",
                    "websites", List.of("https://a.example", "https://b.example", "https://c.example"),
                    "vertical", "SPACESHIPS", "shoe_size", "42", "messaging_product", "sms");
            for (Map.Entry<String, Object> field : bad.entrySet()) {
                Map<String, Object> body = new java.util.HashMap<>(Map.of("messaging_product", "whatsapp"));
                body.put(field.getKey(), field.getValue());
                Http.Answer refused = http.call("POST", PROFILE, node.token(), body);
                assertThat(refused.status()).as(field.getKey()).isEqualTo(400);
                assertThat(refused.body().path("error").path("code").asInt()).as(field.getKey()).isEqualTo(100);
                assertThat(refused.body().path("error").path("error_data").path("details").asText()).as(field.getKey())
                        .contains(field.getKey());
            }
            assertThat(http.call("GET", PROFILE, node.token(), null).body().path("data").get(0)).isEqualTo(read);

            // The picture: an image uploaded for the number, shown by its URL; a document is not one.
            Uploads uploads = new Uploads(harness.node.httpPort());
            Map<String, String> form = Uploads.fields("messaging_product", "whatsapp");
            String picture = uploads.upload(V + PHONE_NUMBER_ID + "/media", node.token(), new byte[] {(byte) 0xFF, (byte) 0xD8, 1},
                    "image/jpeg", "logo.jpg", form).json().path("id").asText();
            String pdf = uploads.upload(V + PHONE_NUMBER_ID + "/media", node.token(), "%PDF-1.4".getBytes(),
                    "application/pdf", "menu.pdf", form).json().path("id").asText();
            Http.Answer notAnImage = http.call("POST", PROFILE, node.token(), Map.of("messaging_product", "whatsapp",
                    "profile_picture_handle", pdf));
            assertThat(notAnImage.status()).isEqualTo(400);
            assertThat(notAnImage.body().path("error").path("error_data").path("details").asText()).contains("profile_picture_handle");
            assertThat(http.call("POST", PROFILE, node.token(), Map.of("messaging_product", "whatsapp",
                    "profile_picture_handle", picture)).status()).isEqualTo(200);
            String pictureUrl = http.call("GET", PROFILE, node.token(), null).body().path("data").get(0)
                    .path("profile_picture_url").asText();
            assertThat(pictureUrl).endsWith("/v1/media/" + picture);
            assertThat(uploads.download(pictureUrl, node.token()).bytes()).containsExactly(0xFF, 0xD8, 1);
            http.call("POST", PROFILE, node.token(), Map.of("messaging_product", "whatsapp", "profile_picture_handle", ""));

            // Another project neither reads nor changes it; a read-only token reads but does not change it.
            assertNoSuchObject(http.call("GET", PROFILE, other, null), "get");
            assertNoSuchObject(http.call("POST", PROFILE, other, Map.of("messaging_product", "whatsapp", "about", "Mine")),
                    "post");
            String readOnly = harness.api.expect(201, "/v1/tokens", node.token(), Map.of("name", "reader", "scopes", List.of("read")))
                    .path("token").asText();
            assertThat(http.call("GET", PROFILE, readOnly, null).status()).isEqualTo(200);
            assertThat(http.call("POST", PROFILE, readOnly, Map.of("messaging_product", "whatsapp", "about", "Hi"))
                    .body().path("error").path("code").asInt()).isEqualTo(10);
            assertThat(http.call("GET", PROFILE, node.token(), null).body().path("data").get(0)).isEqualTo(read);
        }
    }

    @Test
    void theNumberItsSettingsAndTheProjectsNumbersAnswerAsMetasAndOtherPathsInTheGraphShape() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS)) {
            JsonNode project = harness.createProject("Bakery", Map.of());
            String token = project.path("token").asText();
            String wabaId = project.path("id").asText();
            harness.number(token, NUMBER, 200);
            harness.number(token, "+919800000004", 20);
            String other = harness.project("Other");
            Http http = new Http(harness.node.httpPort());

            Http.Answer number = http.call("GET", V + PHONE_NUMBER_ID, token, null);
            assertThat(number.status()).as(number.body().toString()).isEqualTo(200);
            assertThat(number.body()).isEqualTo(JSON.readTree("""
                    {"verified_name":"Bakery","display_phone_number":"+919800000001","quality_rating":"GREEN",
                     "code_verification_status":"VERIFIED","platform_type":"CLOUD_API","throughput":{"level":"HIGH"},
                     "id":"919800000001"}"""));
            assertThat(http.call("GET", V + PHONE_NUMBER_ID + "?fields=verified_name,quality_rating", token, null).body())
                    .isEqualTo(JSON.readTree("{\"verified_name\":\"Bakery\",\"quality_rating\":\"GREEN\",\"id\":\"919800000001\"}"));
            assertThat(http.call("GET", V + PHONE_NUMBER_ID + "/settings", token, null).body())
                    .isEqualTo(JSON.readTree("{\"calling\":{\"status\":\"DISABLED\"}}"));

            JsonNode first = http.call("GET", V + wabaId + "/phone_numbers?limit=1", token, null).body();
            assertThat(first.path("data")).hasSize(1);
            assertThat(first.path("data").get(0).path("id").asText()).isEqualTo("919800000001");
            assertThat(first.path("paging").path("cursors").path("after").asText()).isEqualTo(NUMBER);
            assertThat(first.path("paging").path("next").asText()).contains("after=%2B919800000001");
            JsonNode second = http.call("GET", V + wabaId + "/phone_numbers?limit=1&after=%2B919800000001", token, null).body();
            assertThat(second.path("data").get(0).path("id").asText()).isEqualTo("919800000004");
            assertThat(second.path("data").get(0).path("throughput").path("level").asText()).isEqualTo("STANDARD");
            assertThat(second.path("paging").has("next")).isFalse();

            assertNoSuchObject(http.call("GET", V + PHONE_NUMBER_ID, other, null), "get");
            assertNoSuchObject(http.call("GET", V + PHONE_NUMBER_ID + "/settings", other, null), "get");
            assertNoSuchObject(http.call("GET", V + wabaId + "/phone_numbers", other, null), "get");
            assertNoSuchObject(http.call("GET", V + PHONE_NUMBER_ID + "/message_qrdls", token, null), "get");
            assertNoSuchObject(http.call("POST", V + PHONE_NUMBER_ID + "/register", token, Map.of("pin", "123456")), "post");
            assertNoSuchObject(http.call("GET", "/v21.0/me/accounts/x", null, null), "get");
            Http.Answer unauthenticated = http.call("GET", V + PHONE_NUMBER_ID, null, null);
            assertThat(unauthenticated.status()).isEqualTo(401);
            assertThat(unauthenticated.body().path("error").path("code").asInt()).isEqualTo(190);
            Http.Answer notGraph = http.call("GET", "/v1/nothing", token, null);
            assertThat(notGraph.status()).as("not under a Graph version: our shape").isEqualTo(404);
            assertThat(notGraph.code()).isEqualTo("not_found");
        }
    }

    @Test
    void aReadMarkWithATypingIndicatorIsTakenAndABadOneRefused() throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Typing", 50)) {
            Harness harness = node.harness();
            Http http = new Http(harness.node.httpPort());
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, "+15550005000", "hello"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.receiver.calls("/webhook").isEmpty());
            String id = harness.receiver.calls("/webhook").getFirst().body().path("id").asText();
            String networkId = harness.api.get("/v1/messages/" + id, node.token()).body().path("network_id").asText();
            String messages = V + PHONE_NUMBER_ID + "/messages";

            for (Object indicator : List.of(Map.of("type", "audio"), Map.of("type", "text", "for", 25), "text")) {
                Http.Answer refused = http.call("POST", messages, node.token(), Map.of("messaging_product", "whatsapp",
                        "status", "read", "message_id", "wamid." + id, "typing_indicator", indicator));
                assertThat(refused.status()).as(indicator.toString()).isEqualTo(400);
                assertThat(refused.body().path("error").path("error_data").path("details").asText())
                        .contains("typing_indicator");
            }
            assertThat(harness.network.markedRead(networkId)).isFalse();

            Http.Answer marked = http.call("POST", messages, node.token(), Map.of("messaging_product", "whatsapp",
                    "status", "read", "message_id", "wamid." + id, "typing_indicator", Map.of("type", "text")));
            assertThat(marked.status()).as(marked.body().toString()).isEqualTo(200);
            assertThat(marked.body()).isEqualTo(JSON.readTree("{\"success\":true}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.markedRead(networkId));
        }
    }

    /** Meta's answer for an object that does not exist or is not the caller's. */
    static void assertNoSuchObject(Http.Answer answer, String method) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asInt()).as(answer.body().toString()).isEqualTo(100);
        assertThat(error.path("error_subcode").asInt()).isEqualTo(33);
        assertThat(error.path("type").asText()).isEqualTo("GraphMethodException");
        assertThat(error.path("message").asText()).isEqualTo("(#100) Unsupported " + method + " request");
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
    }

    private static Http.Answer uploadsAnswer(Uploads.Answer answer) throws java.io.IOException {
        return new Http.Answer(answer.status(), answer.json(), null);
    }
}

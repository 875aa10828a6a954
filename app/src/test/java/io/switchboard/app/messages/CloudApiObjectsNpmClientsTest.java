package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Npm;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Cloud API client libraries from npm, changed only in where they send, use the node's media, profile and number
 * routes as a bot would: upload an image, retrieve it, download it with the token, send it by its id, mark a message
 * read with a typing indicator, delete the image (after which it is an object that does not exist); and with
 * {@code @great-detail/whatsapp}, which has them, the business profile, the phone number and the WABA's numbers. The
 * scripts are in {@code src/test/node}.
 */
class CloudApiObjectsNpmClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] IMAGE = Uploads.file(40_000, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
    private static final String USER = "+15550106000";

    @TempDir Path tempDir;

    @Test
    void greatDetailWhatsappUsesMediaProfileAndNumberRoutes() throws Exception {
        Npm npm = Npm.install();
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS)) {
            JsonNode project = harness.createProject("Cakes", Map.of());
            String token = project.path("token").asText();
            JsonNode output = drive(npm, harness, token, "great-detail-objects.mjs",
                    Map.of("wabaId", project.path("id").asText()));

            assertThat(output.path("profileChanged")).isEqualTo(JSON.readTree("{\"success\":true}"));
            assertThat(output.path("profile")).isEqualTo(JSON.readTree("""
                    {"data":[{"about":"Fresh cakes daily","email":"orders@cakes.example",
                      "websites":["https://cakes.example"],"vertical":"RESTAURANT","messaging_product":"whatsapp"}]}"""));
            assertThat(output.path("phoneNumber")).isEqualTo(JSON.readTree("""
                    {"display_phone_number":"+919800000001","verified_name":"Cakes","quality_rating":"GREEN",
                     "id":"919800000001"}"""));
            assertThat(output.path("phoneNumbers").path("data").findValuesAsText("id")).containsExactly("919800000001");
            JsonNode afterDelete = output.path("afterDelete");
            assertThat(afterDelete.path("thrown").asText()).isEqualTo("HTTPError");
            assertThat(afterDelete.path("status").asInt()).isEqualTo(400);
            assertNoSuchObject(afterDelete);
        }
    }

    @Test
    void whatsappApiJsUploadsRetrievesFetchesSendsAndDeletesMedia() throws Exception {
        Npm npm = Npm.install();
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS)) {
            String token = harness.project("Cakes");
            JsonNode output = drive(npm, harness, token, "whatsapp-api-js-objects.mjs", Map.of());
            assertNoSuchObject(output.path("afterDelete"));
        }
    }

    /**
     * Runs a script on a node whose number has just received a message, and checks what every library does: the
     * upload, the retrieved facts, the downloaded bytes, the image by id at the user, the read mark, the delete.
     */
    private static JsonNode drive(Npm npm, Harness harness, String token, String script, Map<String, String> extra)
            throws Exception {
        harness.number(token, NUMBER, 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, "+15550109999", "hello"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !harness.receiver.calls("/webhook").isEmpty());
        String incoming = harness.receiver.calls("/webhook").getFirst().body().path("id").asText();
        String networkId = harness.api.get("/v1/messages/" + incoming, token).body().path("network_id").asText();
        Map<String, String> argument = new java.util.HashMap<>(Map.of("baseUrl", "http://127.0.0.1:" + harness.node.httpPort(),
                "token", token, "phoneNumberId", NUMBER.substring(1), "to", USER.substring(1),
                "image", Base64.getEncoder().encodeToString(IMAGE), "readId", "wamid." + incoming));
        argument.putAll(extra);

        JsonNode output = npm.node(script, argument, Map.of());

        String id = output.path("uploaded").path("id").asText();
        assertThat(id).as(output.toString()).isNotEmpty();
        JsonNode retrieved = output.path("retrieved");
        assertThat(retrieved.path("id").asText()).isEqualTo(id);
        assertThat(retrieved.path("mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(retrieved.path("sha256").asText()).isEqualTo(Uploads.sha256(IMAGE));
        assertThat(retrieved.path("file_size").asText()).isEqualTo(String.valueOf(IMAGE.length));
        assertThat(Base64.getDecoder().decode(output.path("downloadedBase64").asText())).as("downloaded").isEqualTo(IMAGE);
        assertThat(output.path("sent").path("messages").get(0).path("id").asText()).startsWith("wamid.");
        await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received(USER).isEmpty());
        UserMessage image = harness.network.received(USER).getFirst();
        assertThat(image.type()).isEqualTo("image");
        assertThat(JSON.readTree(image.payload()).path("sha256").asText()).isEqualTo(Uploads.sha256(IMAGE));
        assertThat(output.path("read")).isEqualTo(JSON.readTree("{\"success\":true}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.markedRead(networkId));
        assertThat(output.path("deleted")).isEqualTo(JSON.readTree("{\"success\":true}"));
        return output;
    }

    private static void assertNoSuchObject(JsonNode answer) {
        JsonNode error = answer.path("error");
        assertThat(error.path("code").asInt()).as(answer.toString()).isEqualTo(100);
        assertThat(error.path("error_subcode").asInt()).isEqualTo(33);
        assertThat(error.path("type").asText()).isEqualTo("GraphMethodException");
    }
}

package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.MediaHost;
import io.switchboard.app.testing.Npm;
import io.switchboard.app.testing.SelfSigned;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Cloud API client libraries from npm, written by others and changed only in where they send, drive the Cloud
 * API compatible endpoint from node as a bot would: a text, media by link, interactive buttons and a list reach the
 * simulated network as the library wrote them, and the library's own error handling sees our refusals with Meta's
 * codes (190 for a bad token, 100 for an invalid parameter, 131008 for a missing one). The scripts are in
 * {@code src/test/node}.
 */
class CloudApiNpmClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Your order 42 has shipped 📦 आपका ऑर्डर 已发货";

    @TempDir Path tempDir;
    private final MediaHost mediaHost = new MediaHost();

    CloudApiNpmClientsTest() throws java.io.IOException {
    }

    @AfterEach
    void stopMediaHost() {
        mediaHost.close();
    }

    /** {@code @great-detail/whatsapp} with its {@code prefixUrl} set to the node's plain HTTP address. */
    @Test
    void greatDetailWhatsappSendsEveryKindAndItsHttpErrorCarriesMetasCodes() throws Exception {
        Npm npm = Npm.install();
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS)) {
            JsonNode errors = drive(npm, harness, "great-detail.mjs", "http://127.0.0.1:" + harness.node.httpPort(),
                    "image", Map.of());
            for (String call : List.of("badToken", "invalid", "missing")) {
                assertThat(errors.path(call).path("thrown").asText()).as(call).isEqualTo("HTTPError");
            }
            assertRefused(errors, true);
        }
    }

    /**
     * {@code whatsapp-api-js}, which always calls {@code https://graph.facebook.com}: given a fetch (its
     * {@code ponyfill.fetch} option) that sends to the node's HTTPS listener, whose certificate node trusts through
     * {@code NODE_EXTRA_CA_CERTS}. It returns the Graph error as the answer rather than throwing.
     */
    @Test
    void whatsappApiJsSendsEveryKindOverHttpsAndReturnsMetasCodes() throws Exception {
        Npm npm = Npm.install();
        SelfSigned certificate = SelfSigned.make(tempDir);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS, Map.of(
                "https.port", 0, "https.keystore", certificate.keystore(),
                "https.keystore-password", certificate.password()))) {
            JsonNode errors = drive(npm, harness, "whatsapp-api-js.mjs", "https://127.0.0.1:" + harness.node.httpsPort(),
                    "document", Map.of("NODE_EXTRA_CA_CERTS", certificate.certificatePem(tempDir).toString()));
            assertRefused(errors, false);
        }
    }

    /**
     * Runs a library's script on a node whose number has just received a message from a user, checks what reached
     * the network (the sent messages and the read mark), and answers the refusals the script saw.
     */
    private JsonNode drive(Npm npm, Harness harness, String script, String baseUrl, String media, Map<String, String> env)
            throws Exception {
        String token = harness.project("Bot");
        harness.number(token, NUMBER, 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.inject(NUMBER, "+15550109999", "hello"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !harness.receiver.calls("/webhook").isEmpty());
        String incoming = harness.receiver.calls("/webhook").getFirst().body().path("id").asText();
        String networkId = harness.api.get("/v1/messages/" + incoming, token).body().path("network_id").asText();
        Map<String, String> to = new LinkedHashMap<>();
        List<String> kinds = List.of("text", media, "buttons", "list");
        for (int i = 0; i < kinds.size(); i++) to.put(kinds.get(i), "15550100" + i);
        byte[] file = (media + " from the bot's media host").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String mediaLink = mediaHost.serve("/files/" + media, media.equals("image") ? "image/jpeg" : "application/pdf", file);

        JsonNode output = npm.node(script, Map.of("baseUrl", baseUrl, "token", token, "phoneNumberId",
                NUMBER.substring(1), "to", to, "mediaLink", mediaLink, "text", TEXT, "readId", "wamid." + incoming), env);

        assertReachedTheNetwork(harness, token, output.path("sent"), to, media, file);
        assertThat(output.path("read")).isEqualTo(JSON.readTree("{\"success\":true}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.markedRead(networkId));
        return output.path("errors");
    }

    /**
     * Each answer is Meta's, and its user got exactly that message from the node, with the content the library
     * wrote; the refused calls sent nothing (the text's user, whom they were addressed to, got one message).
     */
    private static void assertReachedTheNetwork(Harness harness, String token, JsonNode sent, Map<String, String> to,
                                                String media, byte[] file) throws Exception {
        Map<String, UserMessage> received = new LinkedHashMap<>();
        for (Map.Entry<String, String> recipient : to.entrySet()) {
            JsonNode answer = sent.path(recipient.getKey());
            assertThat(answer.path("messaging_product").asText()).as(answer.toString()).isEqualTo("whatsapp");
            assertThat(answer.path("contacts").get(0).path("wa_id").asText()).isEqualTo(recipient.getValue());
            String wamid = answer.path("messages").get(0).path("id").asText();
            assertThat(wamid).startsWith("wamid.");
            String user = "+" + recipient.getValue();
            await().atMost(Duration.ofSeconds(20)).until(() -> !harness.network.received(user).isEmpty());
            UserMessage message = harness.network.received(user).getFirst();
            assertThat(Ids.format(message.messageId())).isEqualTo(wamid.substring("wamid.".length()));
            assertThat(harness.api.get("/v1/messages/" + wamid, token).body().path("to").asText()).isEqualTo(user);
            received.put(recipient.getKey(), message);
        }
        assertThat(JSON.readTree(received.get("text").payload()).path("body").asText()).isEqualTo(TEXT);
        assertThat(JSON.readTree(received.get(media).payload()).path("sha256").asText()).as("the linked file, fetched")
                .isEqualTo(Uploads.sha256(file));
        JsonNode buttons = JSON.readTree(received.get("buttons").payload());
        assertThat(buttons.path("type").asText()).isEqualTo("button");
        assertThat(buttons.path("action").path("buttons").findValuesAsText("id")).containsExactly("yes", "no");
        JsonNode list = JSON.readTree(received.get("list").payload());
        assertThat(list.path("type").asText()).isEqualTo("list");
        assertThat(list.path("action").path("sections").get(0).path("rows").findValuesAsText("id")).containsExactly("s", "l");
        assertThat(harness.network.received("+" + to.get("text"))).hasSize(1);
    }

    /** Meta's codes for our refusals; {@code withStatus}: the library also hands the HTTP status over. */
    private static void assertRefused(JsonNode errors, boolean withStatus) {
        Map<String, Integer> codes = Map.of("badToken", 190, "invalid", 100, "missing", 131008);
        Map<String, Integer> statuses = Map.of("badToken", 401, "invalid", 400, "missing", 400);
        codes.forEach((call, code) -> {
            JsonNode error = errors.path(call).path("error");
            assertThat(error.path("code").asInt()).as(call + ": " + errors.path(call)).isEqualTo(code);
            assertThat(error.path("type").asText()).as(call).isEqualTo("OAuthException");
            assertThat(error.path("message").asText()).as(call).startsWith("(#" + code + ") ");
            assertThat(error.path("fbtrace_id").asText()).as(call).isNotBlank();
            if (withStatus) assertThat(errors.path(call).path("status").asInt()).as(call).isEqualTo(statuses.get(call));
        });
    }
}

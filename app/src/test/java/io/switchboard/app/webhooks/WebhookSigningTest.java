package io.switchboard.app.webhooks;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the customer's server sees of each call: signatures that a receiver built on the official Standard Webhooks
 * library accepts (through a secret rotation), Meta's Cloud API format with its X-Hub-Signature-256, invalid
 * instant replies reported as failed, and webhook URLs held to public addresses.
 */
class WebhookSigningTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";

    @TempDir Path tempDir;

    private Harness harness() throws Exception {
        return new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults().withReadProbability(1.0)
                .withReplyProbability(0.0));
    }

    private static void verify(String secret, Receiver.Call call) throws Exception {
        new Webhook(secret).verify(new String(call.raw(), StandardCharsets.UTF_8), call.headers());
    }

    @Test
    void everyCallVerifiesWithTheStandardWebhooksLibraryBeforeAndThroughARotation() throws Exception {
        try (Harness harness = harness()) {
            JsonNode project = harness.createProject("Shop", Map.of());
            String token = project.path("token").asText();
            String first = project.path("webhook_secret").asText();
            assertThat(first).startsWith("whsec_");
            assertThat(harness.api.get("/v1/project/webhook-secret", token).body().path("secret").asText()).isEqualTo(first);
            harness.number(token, NUMBER, 1_000);

            harness.api.expect(202, "/v1/messages", token, text(NUMBER, USER, "Your order has shipped"));
            assertThat(harness.network.inject(NUMBER, USER, "thanks")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.calls("/webhook").size() == 1
                    && harness.receiver.events("/events").size() == 3);
            List<Receiver.Call> before = new java.util.ArrayList<>(harness.receiver.calls("/webhook"));
            before.addAll(harness.receiver.calls("/events"));
            for (Receiver.Call call : before) {
                verify(first, call);
                assertThatThrownBy(() -> verify(io.switchboard.dispatcher.signing.Signer.newSecret(), call))
                        .isInstanceOf(WebhookVerificationException.class);
            }

            JsonNode rotated = harness.api.expect(200, "/v1/project/webhook-secret/rotate", token,
                    Map.of("keep_previous_s", 3_600));
            String second = rotated.path("secret").asText();
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            assertThat(harness.network.inject(NUMBER, USER, "one more thing")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.calls("/webhook").size() == 2);
            Receiver.Call during = harness.receiver.calls("/webhook").get(1);
            assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
            verify(first, during); // receivers still on the old secret keep working
            verify(second, during); // and those already on the new one too

            harness.api.expect(200, "/v1/project/webhook-secret/rotate", token, Map.of("keep_previous_s", 0));
            String third = harness.api.get("/v1/project/webhook-secret", token).body().path("secret").asText();
            assertThat(harness.network.inject(NUMBER, USER, "last one")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.calls("/webhook").size() == 3);
            Receiver.Call after = harness.receiver.calls("/webhook").get(2);
            verify(third, after);
            assertThatThrownBy(() -> verify(second, after)).as("the previous secret is retired at once")
                    .isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void aCloudFormatProjectGetsMetasEnvelopeInAsciiWithAValidHubSignature() throws Exception {
        try (Harness harness = harness()) {
            JsonNode project = harness.createProject("Cloud bot", Map.of("webhook_format", "cloud",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN));
            String token = project.path("token").asText();
            String secret = project.path("webhook_secret").asText();
            harness.number(token, NUMBER, 1_000);
            String text = "héllo नमस्ते 😀";
            assertThat(harness.network.inject(NUMBER, USER, text)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.receiver.calls("/webhook").size() == 1);

            Receiver.Call call = harness.receiver.calls("/webhook").getFirst();
            for (byte b : call.raw()) assertThat(b & 0xff).as("every byte is ASCII").isLessThan(0x80);
            JsonNode value = call.body().path("entry").get(0).path("changes").get(0).path("value");
            assertThat(call.body().path("object").asText()).isEqualTo("whatsapp_business_account");
            assertThat(value.path("metadata").path("display_phone_number").asText()).isEqualTo("919800000001");
            JsonNode message = value.path("messages").get(0);
            assertThat(message.path("from").asText()).isEqualTo("15550000042");
            assertThat(message.path("text").path("body").asText()).isEqualTo(text);
            assertThat(message.path("id").asText()).startsWith("wamid.");

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(call.header("x-hub-signature-256")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(call.raw())));
            verify(secret, call); // the Standard Webhooks headers come too
        }
    }

    @Test
    void anInvalidInstantReplyIsNotSentButReportedAsAFailedMessageAndEvent() throws Exception {
        try (Harness harness = harness()) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.receiver.answer(call -> call.path().equals("/webhook")
                    ? new Receiver.Answer(200, "{\"messages\":[{\"type\":\"text\",\"text\":{\"body\":\"ok!\"}},"
                            + "{\"type\":\"text\",\"text\":{\"body\":\"" + "x".repeat(5_000) + "\"}}]}")
                    : Receiver.Answer.ok());
            assertThat(harness.network.inject(NUMBER, USER, "hi")).isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(harness.receiver.events("/events"))
                    .anyMatch(e -> e.path("status").asText().equals("failed")));
            JsonNode failed = harness.receiver.events("/events").stream()
                    .filter(e -> e.path("status").asText().equals("failed")).findFirst().orElseThrow();
            assertThat(failed.path("error").asText()).contains("4096");
            JsonNode message = harness.api.get("/v1/messages/" + failed.path("message_id").asText(), token).body();
            assertThat(message.path("status").asText()).isEqualTo("failed");
            assertThat(message.path("to").asText()).isEqualTo(USER);
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.network.received(USER).size() == 1);
            assertThat(harness.network.received(USER).getFirst().payload()).contains("ok!");
        }
    }

    @Test
    void webhookUrlsToPrivateOrLoopbackAddressesAreRefusedUnlessTheOperatorAllowsThem() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(),
                Map.of("allow-private-urls", false))) {
            for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.0.0.7/hook", "http://169.254.169.254/x",
                    "http://[::1]/hook")) {
                var answer = harness.api.post("/v1/projects", harness.adminToken, Map.of("name", "Shop", "webhook_url", url));
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.body().path("error").path("code").asText()).isEqualTo("private_address");
                assertThat(answer.body().path("error").path("field").asText()).isEqualTo("webhook_url");
            }
            var ftp = harness.api.post("/v1/projects", harness.adminToken, Map.of("name", "Shop",
                    "event_webhook_url", "ftp://example.com/x"));
            assertThat(ftp.body().path("error").path("code").asText()).isEqualTo("invalid_url");
            assertThat(ftp.body().path("error").path("field").asText()).isEqualTo("event_webhook_url");

            String token = harness.api.expect(201, "/v1/projects", harness.adminToken, Map.of("name", "Shop"))
                    .path("token").asText();
            var patch = harness.api.patch("/v1/project", token, Map.of("webhook_url", "http://192.168.1.1/in"));
            assertThat(patch.status()).isEqualTo(400);
            assertThat(harness.api.get("/v1/project", token).body().path("webhook_url").isNull()).isTrue();
        }
    }
}

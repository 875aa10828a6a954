package io.switchboard.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Npm;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Cloud-format webhook, carrying a user's message with emoji, Hindi and Chinese from the simulated network, is
 * verified by two X-Hub-Signature-256 verifiers from npm that others wrote ({@code x-hub-signature}, and the webhook
 * handler of {@code whatsapp-api-js}, which then hands the bot the message), from the raw bytes and header the
 * receiver got; the same body with one character changed is rejected by both. The script is
 * {@code src/test/node/verify-webhook.mjs}.
 */
class CloudWebhookNpmVerifierTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";
    private static final String TEXT = "Order 42: where is it? 😀🙏🏽 मेरा ऑर्डर कहाँ है? 我的订单在哪里？";

    @TempDir Path tempDir;

    @Test
    void npmVerifiersAcceptTheSignatureOfEmojiAndNonLatinTextAndRejectATamperedBody() throws Exception {
        Npm npm = Npm.install();
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults()
                .withReadProbability(0).withReplyProbability(0))) {
            JsonNode project = harness.createProject("Cloud bot", Map.of("webhook_format", "cloud",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN));
            String secret = project.path("webhook_secret").asText();
            harness.number(project.path("token").asText(), NUMBER, 100);
            assertThat(harness.network.inject(NUMBER, USER, TEXT)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.receiver.calls("/webhook").size() == 1);
            Receiver.Call call = harness.receiver.calls("/webhook").getFirst();
            Path body = Files.write(tempDir.resolve("webhook-body.json"), call.raw());

            JsonNode verdicts = npm.node("verify-webhook.mjs", Map.of("secret", secret, "bodyFile", body.toString(),
                    "signature", call.header("x-hub-signature-256"), "tamper", List.of("Order 42", "Order 43")), Map.of());

            assertThat(verdicts.path("xHubSignature").path("genuine").asBoolean()).as(verdicts.toString()).isTrue();
            assertThat(verdicts.path("xHubSignature").path("tampered").asBoolean()).as(verdicts.toString()).isFalse();
            JsonNode genuine = verdicts.path("whatsappApiJs").path("genuine");
            assertThat(genuine.path("accepted").asBoolean()).as(genuine.toString()).isTrue();
            JsonNode heard = genuine.path("heard");
            assertThat(heard.path("text").asText()).isEqualTo(TEXT);
            assertThat(heard.path("from").asText()).isEqualTo(USER.substring(1));
            assertThat(heard.path("phoneID").asText()).isEqualTo(NUMBER.substring(1));
            assertThat(heard.path("id").asText()).isEqualTo(call.body().at("/entry/0/changes/0/value/messages/0/id").asText());
            JsonNode tampered = verdicts.path("whatsappApiJs").path("tampered");
            assertThat(tampered.path("accepted").asBoolean()).as(tampered.toString()).isFalse();
            assertThat(tampered.path("error").asText()).isEqualTo("WhatsAppAPIFailedToVerifyError");
        }
    }
}

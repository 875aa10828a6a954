package io.switchboard.app.upstream;

import static io.switchboard.app.upstream.CloudRig.NUMBER;
import static io.switchboard.app.upstream.CloudRig.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.webhooks.WebhookFormats;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Through the stand-in of Meta's Cloud API, every webhook format carries what Meta's webhooks told: the sender's
 * profile name, the message a reply replies to (Meta names it by its wamid; the bot gets our id, of an outgoing
 * message or of an incoming one, and so does a reaction), the ad a user came from, and each status's conversation, pricing and error objects
 * as Meta sent them. Each format runs on another store.
 */
class CloudWebhookDetailsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tempDir;

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of("cloud", TestStores.Kind.EMBEDDED), Arguments.of("native", TestStores.Kind.MARIADB),
                Arguments.of("push", TestStores.Kind.POSTGRESQL));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("formats")
    void metasNamesContextsReferralsPricesAndErrorsReachTheBot(String format, TestStores.Kind kind) throws Exception {
        try (CloudRig rig = CloudRig.start(kind, tempDir, 100, Map.of())) {
            Harness harness = rig.harness();
            CloudApiStandIn meta = rig.meta();
            Map<String, Object> settings = new HashMap<>(Map.of("webhook_format", format));
            if (format.equals("cloud")) settings.put("webhook_verify_token", Receiver.VERIFY_TOKEN);
            ApiClient.Answer patched = harness.api.patch("/v1/project", rig.token(), settings);
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);

            List<String> users = users(0, 2);
            List<String> ids = rig.send(users, "Your order shipped");
            await().atMost(WAIT).until(() -> meta.accepted().size() == 2);
            Map<String, String> wamids = new HashMap<>(); // user -> the wamid Meta gave our message
            meta.accepted().forEach(a -> wamids.put(a.to(), a.wamid()));
            for (String id : ids) await().atMost(WAIT).until(() -> rig.status(id).equals("sent"));
            String reader = users.get(0), unreachable = users.get(1);
            assertThat(meta.send(meta.status(wamids.get(reader), reader, "delivered"))).isEqualTo(200);
            assertThat(meta.send(meta.status(wamids.get(reader), reader, "read"))).isEqualTo(200);
            assertThat(meta.send(meta.status(wamids.get(unreachable), unreachable, "failed"))).isEqualTo(200);

            await().atMost(WAIT).until(() -> WebhookFormats.events(format, harness.receiver.calls("/events")).stream()
                    .filter(e -> e.status().equals("read") || e.status().equals("failed")).count() == 2);
            List<WebhookFormats.Event> events = WebhookFormats.events(format, harness.receiver.calls("/events"));
            WebhookFormats.Event read = events.stream().filter(e -> e.status().equals("read")).findFirst().orElseThrow();
            WebhookFormats.Event failed = events.stream().filter(e -> e.status().equals("failed")).findFirst().orElseThrow();
            assertThat(read.messageId()).isEqualTo(ids.get(0));
            assertThat(failed.messageId()).isEqualTo(ids.get(1));
            assertThat(failed.errorCode()).as("Meta's code, not 131000: %s", failed.raw()).isEqualTo("131026");
            switch (format) {
                case "cloud" -> {
                    assertThat(failed.raw().at("/errors/0/title").asText()).isEqualTo("Message Undeliverable");
                    assertThat(failed.raw().at("/errors/0/message").asText()).isEqualTo("Message Undeliverable");
                    assertThat(failed.raw().at("/errors/0/error_data/details").asText())
                            .isEqualTo("Message failed to send because the user's phone number is not on WhatsApp.");
                    assertThat(read.raw().at("/pricing/pricing_model").asText()).isEqualTo("PMP");
                    assertThat(read.raw().at("/conversation/id").asText()).isEqualTo("CONVERSATION_" + reader.substring(1));
                }
                case "native" -> {
                    assertThat(read.category()).isEqualTo("service");
                    assertThat(failed.raw().path("error").asText()).isEqualTo("131026: Message Undeliverable");
                }
                default -> {
                    assertThat(failed.raw().path("error_message").asText()).isEqualTo("Message Undeliverable");
                    assertThat(events).allSatisfy(e -> {
                        assertThat(e.raw().path("channel_id").asText()).as("%s", e.raw()).isEqualTo("101");
                        assertThat(e.raw().path("message_type").asText()).isEqualTo("text");
                        assertThat(e.raw().path("reference_number").asText()).isIn(wamids.values());
                    });
                }
            }

            // The user replies to our message, coming from an ad, then quotes their own reply.
            ObjectNode reply = JSON.createObjectNode();
            reply.putObject("context").put("from", NUMBER.substring(1)).put("id", wamids.get(reader));
            reply.putObject("referral").put("source_url", "https://fb.me/3cr4Wqqkv").put("source_id", "120210000")
                    .put("source_type", "ad").put("headline", "Summer sale").put("ctwa_clid", "ARAkLkA8rmlF");
            assertThat(meta.send(meta.incoming("wamid.REPLY1", reader, "Asha", "is it here yet?", reply))).isEqualTo(200);
            ObjectNode quote = JSON.createObjectNode();
            quote.putObject("context").put("from", reader.substring(1)).put("id", "wamid.REPLY1");
            assertThat(meta.send(meta.incoming("wamid.REPLY2", reader, "Asha", "hello?", quote))).isEqualTo(200);

            ObjectNode reaction = JSON.createObjectNode().put("type", "reaction");
            reaction.putObject("reaction").put("message_id", wamids.get(reader)).put("emoji", "\uD83D\uDC4D");
            assertThat(meta.send(meta.incoming("wamid.REACT1", reader, "Asha", "", reaction))).isEqualTo(200);

            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() == 3);
            WebhookFormats.Incoming first = WebhookFormats.incoming(format, harness.receiver.calls("/webhook").get(0));
            WebhookFormats.Incoming second = WebhookFormats.incoming(format, harness.receiver.calls("/webhook").get(1));
            assertThat(first.name()).as("%s", first.raw()).isEqualTo("Asha");
            assertThat(first.contextId()).as("our id of the message Meta named %s: %s", wamids.get(reader), first.raw())
                    .isEqualTo(ids.get(0));
            assertThat(second.contextId()).as("our id of the user's own message: %s", second.raw()).isEqualTo(first.id());
            if (!format.equals("push")) { // the provider's format names no referral
                assertThat(first.raw().at("/referral/ctwa_clid").asText()).as("%s", first.raw()).isEqualTo("ARAkLkA8rmlF");
                assertThat(first.raw().at("/referral/source_type").asText()).isEqualTo("ad");
            }
            WebhookFormats.Incoming reacted = WebhookFormats.incoming(format, harness.receiver.calls("/webhook").get(2));
            if (!format.equals("push")) { // nor reactions
                assertThat(reacted.raw().at("/reaction/message_id").asText()).as("%s", reacted.raw())
                        .isEqualTo((format.equals("cloud") ? "wamid." : "") + ids.get(0));
            }
            if (format.equals("cloud")) {
                assertThat(first.raw().at("/context/from").asText()).isEqualTo(NUMBER.substring(1));
                assertThat(second.raw().at("/context/from").asText()).isEqualTo(reader.substring(1));
            }
        }
    }
}

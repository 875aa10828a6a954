package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.QUIET_USERS;
import static io.switchboard.app.messages.Messaging.firstId;
import static io.switchboard.app.messages.Messaging.text;
import static io.switchboard.app.messages.Messaging.withPart;
import static io.switchboard.app.messages.Messaging.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.store.crypto.Tokens;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the embedded store in a data folder, stopped and started again: a scheduled message still goes at its
 * time and not before, one that expired while the node was down becomes expired instead of going late, and an
 * idempotency key still answers a retry with the first answer.
 */
class TimedSendsSurviveRestartTest {
    private static final String LATER = "+15550000701";
    private static final String LAPSED = "+15550000702";
    private static final String ONCE = "+15550000703";

    @TempDir Path tempDir;
    private final String adminToken = Tokens.newToken("sba_");

    @Test
    void scheduledExpiringAndIdempotentSendsSurviveARestart() throws Exception {
        try (SimNetwork network = SimNetwork.start(QUIET_USERS.withPort(0).withStatsPort(0));
             Receiver receiver = new Receiver()) {
            long scheduleAt;
            String later;
            String lapsed;
            JsonNode firstAnswer;
            String token;
            try (Node node = start(network, receiver)) {
                ApiClient api = api(node);
                token = api.expect(201, "/v1/projects", adminToken, Map.of("name", "Restarts",
                        "event_webhook_url", receiver.url("/events"))).path("token").asText();
                api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 50, "shards", 1));
                // Far enough ahead for the node to be back well before it, even on a busy machine.
                scheduleAt = System.currentTimeMillis() + 12_000;
                later = firstId(api.expect(202, "/v1/messages", token, withSchedule(text(LATER, "see you at 8"), scheduleAt)));
                firstAnswer = api.post("/v1/messages", token, text(ONCE, "receipt 4711"),
                        Map.of("Idempotency-Key", "receipt-4711")).body();
                await().atMost(Duration.ofSeconds(10)).until(() -> !network.received(ONCE).isEmpty());
                // Due in 2 s with 1 s to live, just before the node stops: it is down for both.
                lapsed = firstId(api.expect(202, "/v1/messages", token, withPart(withSchedule(text(LAPSED, "flash sale"),
                        System.currentTimeMillis() + 2_000), "ttl", 1)));
            }
            Thread.sleep(3_500);

            try (Node node = start(network, receiver)) {
                ApiClient api = api(node);
                ApiClient.Answer retry = api.post("/v1/messages", token, text(ONCE, "receipt 4711"),
                        Map.of("Idempotency-Key", "receipt-4711"));
                assertThat(retry.status()).isEqualTo(202);
                assertThat(retry.body()).as("the first answer, kept in the store").isEqualTo(firstAnswer);

                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        api.get("/v1/messages/" + lapsed, token).body().path("status").asText()).isEqualTo("expired"));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.events("/events"))
                        .filteredOn(e -> e.path("message_id").asText().equals(lapsed))
                        .extracting(e -> e.path("status").asText()).containsExactly("expired"));
                assertThat(api.get("/v1/messages/" + later, token).body().path("status").asText()).isEqualTo("scheduled");

                Messaging.arrivesNotBefore(network, LATER, scheduleAt, later);
                assertThat(network.received(LAPSED)).as("expired while the node was down: never sent").isEmpty();
                assertThat(network.received(ONCE)).as("the retry queued nothing").hasSize(1);
            }
        }
    }

    private Node start(SimNetwork network, Receiver receiver) {
        ConfigLoader config = new ConfigLoader().set("http.host", "127.0.0.1").set("http.port", 0)
                .set("network", "127.0.0.1:" + network.port()).set("data", tempDir.resolve("data"))
                .set("admin-token", adminToken).set("webhooks.event-batch-delay-ms", 20)
                .set("allow-private-urls", true);
        return Node.start(config.load(), new PrintStream(OutputStream.nullOutputStream()));
    }

    private static ApiClient api(Node node) {
        return new ApiClient("http://127.0.0.1:" + node.httpPort());
    }
}

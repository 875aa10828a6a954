package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.QUIET_USERS;
import static io.switchboard.app.messages.Messaging.firstId;
import static io.switchboard.app.messages.Messaging.map;
import static io.switchboard.app.messages.Messaging.text;
import static io.switchboard.app.messages.Messaging.withPart;
import static io.switchboard.app.messages.Messaging.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** schedule_at is honoured, an expiring message expires instead of arriving late, and a waiting message can be cancelled. */
class ScheduleExpiryCancelTest {
    private static final String SLOW = "+919800000002";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aScheduledMessageIsNotSentBeforeItsTimeWhileOthersGoAtOnce(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Scheduler", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            long scheduleAt = System.currentTimeMillis() + 3_000;
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, withSchedule(
                    text("+15550000201", "Your table is ready"), scheduleAt));
            String id = firstId(accepted);
            assertThat(accepted.path("messages").get(0).path("status").asText()).isEqualTo("scheduled");
            JsonNode waiting = harness.api.get("/v1/messages/" + id, token).body();
            assertThat(waiting.path("status").asText()).isEqualTo("scheduled");
            assertThat(waiting.path("schedule_at").asText()).isEqualTo(Instant.ofEpochMilli(scheduleAt).toString());

            harness.api.expect(202, "/v1/messages", token, text("+15550000202", "not scheduled"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.network.received("+15550000202").isEmpty());

            Messaging.arrivesNotBefore(harness.network, "+15550000201", scheduleAt, id);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    harness.api.get("/v1/messages/" + id, token).body().path("status").asText()).isEqualTo("delivered"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void anOtpThatCannotBeSentInTimeExpiresWithAnEventInsteadOfArrivingLate(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("OTP");
            slowNumber(harness, token);
            List<Object> campaign = new ArrayList<>();
            for (int i = 0; i < 6; i++) campaign.add(slowText("+15550000301", "offer " + i));
            harness.api.expect(202, "/v1/messages", token, Map.of("messages", campaign));
            // Sixth in line at 1 message a second, with 2 seconds to live: it cannot make it.
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token,
                    withPart(slowText("+15550000302", "Your code is 4711"), "ttl", 2));
            String otp = firstId(accepted);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    harness.api.get("/v1/messages/" + otp, token).body().path("status").asText()).isEqualTo("expired"));
            JsonNode expired = harness.api.get("/v1/messages/" + otp, token).body();
            assertThat(expired.path("statuses").path("expired").asText()).isEqualTo(expired.path("expires_at").asText());
            assertThat(expired.path("statuses").has("sent")).isFalse();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(harness.receiver.events("/events"))
                    .filteredOn(e -> e.path("message_id").asText().equals(otp))
                    .extracting(e -> e.path("status").asText()).containsExactly("expired"));

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.network.received("+15550000301").size() == 6);
            Thread.sleep(1_500); // one more token's time: the OTP would be next
            assertThat(harness.network.received("+15550000302")).as("the expired OTP never arrives").isEmpty();
            assertThat(queued(harness, token, SLOW)).as("the expired OTP is not counted as queued").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aWaitingMessageIsCancelledWithAnEventButNotOnceSentNorByAnotherProject(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("Cancels");
            String otherToken = harness.project("Someone else");
            harness.number(token, NUMBER, 100);
            slowNumber(harness, token);

            String scheduled = firstId(harness.api.expect(202, "/v1/messages", token,
                    withSchedule(text("+15550000401", "next week"), System.currentTimeMillis() + 3_600_000)));
            assertThat(harness.api.delete("/v1/messages/" + scheduled, otherToken).status())
                    .as("another project's message is not found").isEqualTo(404);
            ApiClient.Answer cancelled = harness.api.delete("/v1/messages/" + scheduled, token);
            assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
            assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.body().path("statuses").has("cancelled")).isTrue();
            assertThat(harness.api.get("/v1/messages/" + scheduled, token).body().path("status").asText()).isEqualTo("cancelled");
            ApiClient.Answer again = harness.api.delete("/v1/messages/" + scheduled, token);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("error").path("code").asText()).isEqualTo("not_cancellable");

            List<Object> queue = new ArrayList<>();
            for (int i = 0; i < 4; i++) queue.add(slowText("+15550000402", "ahead " + i));
            harness.api.expect(202, "/v1/messages", token, Map.of("messages", queue));
            String queued = firstId(harness.api.expect(202, "/v1/messages", token, slowText("+15550000403", "behind")));
            assertThat(harness.api.delete("/v1/messages/" + queued, token).status()).isEqualTo(200);

            String sent = firstId(harness.api.expect(202, "/v1/messages", token, text("+15550000404", "at once")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.network.received("+15550000404").isEmpty());
            ApiClient.Answer tooLate = harness.api.delete("/v1/messages/" + sent, token);
            assertThat(tooLate.status()).isEqualTo(409);
            assertThat(tooLate.body().path("error").path("code").asText()).isEqualTo("not_cancellable");
            assertThat(harness.api.get("/v1/messages/" + sent, token).body().path("status").asText()).isNotEqualTo("cancelled");

            await().atMost(Duration.ofSeconds(30)).until(() -> harness.network.received("+15550000402").size() == 4);
            Thread.sleep(1_500);
            assertThat(harness.network.received("+15550000403")).as("the cancelled message never arrives").isEmpty();
            assertThat(harness.network.received("+15550000401")).isEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(harness.receiver.events("/events"))
                    .filteredOn(e -> e.path("status").asText().equals("cancelled"))
                    .extracting(e -> e.path("message_id").asText()).containsExactlyInAnyOrder(scheduled, queued));
        }
    }

    /**
     * Cancels race the pump: every message either is cancelled (200) and never reaches its user, or goes out and
     * its cancel answers 409; never both, never neither.
     */
    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aCancelRacingTheSendEitherWinsOrAnswers409NeverBoth(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("Racer");
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 5, "shards", 1,
                    "delivery_reports", false));
            int count = 30;
            List<Object> messages = new ArrayList<>();
            for (int i = 0; i < count; i++) messages.add(text(user(i), "race " + i));
            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", messages));
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.network.received(user(0)).isEmpty());

            List<Future<ApiClient.Answer>> answers = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = count - 1; i >= 0; i--) {
                    String id = accepted.path("messages").get(i).path("id").asText();
                    answers.add(0, threads.submit(() -> harness.api.delete("/v1/messages/" + id, token)));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> queued(harness, token, NUMBER) == 0);
            Thread.sleep(1_000); // the last sends reach their users
            int cancelled = 0;
            for (int i = 0; i < count; i++) {
                int status = answers.get(i).get().status();
                String id = accepted.path("messages").get(i).path("id").asText();
                String stored = harness.api.get("/v1/messages/" + id, token).body().path("status").asText();
                boolean arrived = !harness.network.received(user(i)).isEmpty();
                if (status == 200) {
                    cancelled++;
                    assertThat(arrived).as("message %d was cancelled, yet arrived", i).isFalse();
                    assertThat(stored).isEqualTo("cancelled");
                } else {
                    assertThat(status).as("message %d", i).isEqualTo(409);
                    assertThat(arrived).as("message %d was not cancelled, yet never arrived", i).isTrue();
                    assertThat(stored).isNotEqualTo("cancelled");
                }
            }
            assertThat(answers.getFirst().get().status()).as("the first had arrived before any cancel").isEqualTo(409);
            assertThat(cancelled).as("the last ones were still waiting at 5 a second").isPositive();
        }
    }

    static String user(int i) {
        return "+1555000" + String.format("%04d", 500 + i);
    }

    /** Messages in the number's queues as GET /v1/numbers shows them. */
    static int queued(Harness harness, String token, String number) throws Exception {
        for (JsonNode line : harness.api.get("/v1/numbers", token).body().path("numbers")) {
            if (!line.path("number").asText().equals(number)) continue;
            int total = 0;
            for (JsonNode depth : line.path("queue")) total += depth.asInt();
            return total;
        }
        throw new AssertionError("number " + number + " is not listed");
    }

    private static void slowNumber(Harness harness, String token) throws Exception {
        harness.api.expect(201, "/v1/numbers", token, Map.of("number", SLOW, "tps", 1, "shards", 1,
                "delivery_reports", false));
    }

    private static Map<String, Object> slowText(String to, String body) {
        return map("from", SLOW, "to", to, "type", "text", "text", map("body", body));
    }
}

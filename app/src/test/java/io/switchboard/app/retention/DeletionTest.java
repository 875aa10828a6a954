package io.switchboard.app.retention;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A deleted number is gone from the lists at once, its queued messages are cancelled (with their events), it cannot
 * be added again until the sweeper removed its data, and then it can; a deleted project's tokens stop at once.
 */
class DeletionTest {
    private static final String SLOW = "+919800000001"; // 1 message a second: a queue builds up
    private static final String FAST = "+919800000002";
    private static final String OTHER = "+919800000003"; // project B's
    private static final int QUEUED = 30;

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aDeletedNumberStopsCancelsItsQueueAndIsSweptThenFreeAgain(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), Map.of("retention.sweep-s", 86_400))) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            harness.number(token, SLOW, 1);
            harness.number(token, FAST, 1_000);
            List<Map<String, Object>> bulk = new ArrayList<>();
            for (int i = 0; i < QUEUED; i++) bulk.add(text(SLOW, "+1555%07d".formatted(i), "Offer " + i));
            List<String> ids = harness.api.expect(202, "/v1/messages", token, Map.of("messages", bulk)).path("messages")
                    .findValuesAsText("id");
            String fastId = harness.api.expect(202, "/v1/messages", token, text(FAST, "+15550000999", "hi"))
                    .path("messages").get(0).path("id").asText();

            Http.Answer deleted = http.call("DELETE", "/v1/numbers/" + SLOW, token, null);
            assertThat(deleted.status()).as(String.valueOf(deleted.body())).isEqualTo(204);

            assertThat(http.call("GET", "/v1/numbers", token, null).body().path("numbers").findValuesAsText("number"))
                    .as("gone from the list at once").containsExactly(FAST);
            List<String> cancelled = ids.stream().filter(id -> status(http, token, id).equals("cancelled")).toList();
            assertThat(cancelled).as("queued behind a budget of 1/s, most were still waiting").hasSizeGreaterThan(QUEUED / 2);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(harness.receiver.events("/events"))
                    .filteredOn(e -> e.path("status").asText().equals("cancelled"))
                    .extracting(e -> e.path("message_id").asText()).containsExactlyInAnyOrderElementsOf(cancelled));
            Http.Answer send = http.call("POST", "/v1/messages", token, text(SLOW, "+15550000001", "after"));
            assertThat(send.status()).as(String.valueOf(send.body())).isBetween(400, 499);
            Http.Answer again = http.call("DELETE", "/v1/numbers/" + SLOW, token, null);
            assertThat(List.of(again.status(), again.code())).isEqualTo(List.of(404, "not_found"));
            Http.Answer readd = http.call("POST", "/v1/numbers", token, Map.of("number", SLOW, "tps", 10));
            assertThat(List.of(readd.status(), readd.code())).as("not until its data is swept").isEqualTo(List.of(409, "number_taken"));

            sweepAll(harness);
            assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE number = ?", SLOW)).isZero();
            assertThat(rows(harness, "SELECT COUNT(*) FROM tombstones", null)).isZero();
            assertThat(status(http, token, fastId)).as("the other number's message stays").isNotEqualTo("404");
            assertThat(status(http, token, ids.getFirst())).isEqualTo("404");
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", SLOW, "tps", 10));
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aDeletedProjectsTokensStopAtOnceAndItsDataIsSwept(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), Map.of("retention.sweep-s", 86_400))) {
            Http http = new Http(harness.node.httpPort());
            String a = harness.project("A");
            harness.number(a, FAST, 1_000);
            JsonNode projectB = harness.createProject("B", Map.of());
            String b = projectB.path("token").asText();
            String bId = projectB.path("id").asText();
            harness.number(b, OTHER, 1);
            List<Map<String, Object>> bulk = new ArrayList<>();
            for (int i = 0; i < QUEUED; i++) bulk.add(text(OTHER, "+1555%07d".formatted(i), "Offer " + i));
            List<String> ids = harness.api.expect(202, "/v1/messages", b, Map.of("messages", bulk)).path("messages")
                    .findValuesAsText("id");
            harness.api.expect(202, "/v1/messages", a, text(FAST, "+15550000001", "hello"));

            Http.Answer byItsOwnToken = http.call("DELETE", "/v1/projects/" + bId, b, null);
            assertThat(List.of(byItsOwnToken.status(), byItsOwnToken.code())).isEqualTo(List.of(401, "unauthorized"));
            Http.Answer deleted = http.call("DELETE", "/v1/projects/" + bId, harness.adminToken, null);
            assertThat(deleted.status()).as(String.valueOf(deleted.body())).isEqualTo(204);
            assertThat(http.call("GET", "/v1/project", b, null).status()).as("B's token, at once").isEqualTo(401);
            Http.Answer again = http.call("DELETE", "/v1/projects/" + bId, harness.adminToken, null);
            assertThat(List.of(again.status(), again.code())).isEqualTo(List.of(404, "not_found"));
            assertThat(harness.node.engine().line(OTHER)).as("its number stopped here").isEmpty();
            assertThat(http.call("GET", "/v1/project", a, null).status()).as("A is untouched").isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(harness.receiver.events("/events"))
                    .filteredOn(e -> e.path("status").asText().equals("cancelled"))
                    .extracting(e -> e.path("message_id").asText()).as("B's queue, cancelled, told to B's Event Webhook")
                    .hasSizeGreaterThan(QUEUED / 2).isSubsetOf(ids));

            sweepAll(harness);
            assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE project_id = ?", bId)).isZero();
            assertThat(rows(harness, "SELECT COUNT(*) FROM messages WHERE number = ?", FAST)).isEqualTo(1);
        }
    }

    private static void sweepAll(Harness harness) throws InterruptedException {
        while (!harness.node.retention().runOnce().finished()) {
            // a run stops at its bound; the next goes on
        }
    }

    /** The message's status, or "404" when it is not found. */
    private static String status(Http http, String token, String id) {
        try {
            Http.Answer answer = http.call("GET", "/v1/messages/" + id, token, null);
            return answer.status() == 404 ? "404" : answer.body().path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rows(Harness harness, String sql, String value) throws Exception {
        try (Connection c = harness.storeConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (value != null) s.setString(1, value);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}

package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.QUIET_USERS;
import static io.switchboard.app.messages.Messaging.map;
import static io.switchboard.app.messages.Messaging.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An Idempotency-Key (or client_ref) makes a retried send answer as the first one did and queue nothing again. */
class IdempotencyTest {
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void aRetryGetsTheFirstAnswerAndTheUserGetsTheMessageOnce(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Retries", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            Map<String, Object> bulk = Map.of("messages", List.of(text("+15550000601", "one"), text("+15550000602", "two")));

            ApiClient.Answer first = post(harness, token, bulk, "order-4711-confirmation");
            long stored = harness.node.messageCount();
            ApiClient.Answer retry = post(harness, token, bulk, "order-4711-confirmation");

            assertThat(first.status()).isEqualTo(202);
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.body()).as("same ids, same statuses").isEqualTo(first.body());
            assertThat(harness.node.messageCount()).as("nothing queued twice").isEqualTo(stored);
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.network.received("+15550000602").isEmpty());
            Thread.sleep(500);
            assertThat(harness.network.received("+15550000601")).hasSize(1);
            assertThat(harness.network.received("+15550000602")).hasSize(1);

            // client_ref in the body does the same, whatever the order of the fields in the retry.
            Map<String, Object> withRef = new LinkedHashMap<>(text("+15550000603", "three"));
            withRef.put("client_ref", "crm-99");
            Map<String, Object> reordered = new LinkedHashMap<>();
            reordered.put("client_ref", "crm-99");
            new ArrayList<>(withRef.keySet()).reversed().forEach(key -> reordered.putIfAbsent(key, withRef.get(key)));
            JsonNode byRef = harness.api.expect(202, "/v1/messages", token, withRef);
            assertThat(harness.api.expect(202, "/v1/messages", token, reordered)).isEqualTo(byRef);
            // ... and agrees with the header when both are given.
            assertThat(post(harness, token, withRef, "crm-99").body()).isEqualTo(byRef);
            ApiClient.Answer disagree = post(harness, token, withRef, "crm-100");
            assertThat(disagree.status()).isEqualTo(400);
            assertThat(disagree.body().path("error").path("field").asText()).isEqualTo("client_ref");
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void theKeyWithAnotherBodyIs422ABadRequestDoesNotUseItUpAndKeysArePerProject(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, QUIET_USERS)) {
            String token = harness.project("Reuse");
            String otherToken = harness.project("Other");
            harness.number(token, Messaging.NUMBER, 100);
            harness.number(otherToken, "+919800000002", 100);

            ApiClient.Answer firstAnswer = post(harness, token, text("+15550000611", "your code is 1234"), "k-1");
            assertThat(firstAnswer.status()).as(firstAnswer.body().toString()).isEqualTo(202);
            JsonNode first = firstAnswer.body();
            long stored = harness.node.messageCount();
            ApiClient.Answer reused = post(harness, token, text("+15550000611", "your code is 9999"), "k-1");
            assertThat(reused.status()).as(reused.body().toString()).isEqualTo(422);
            assertThat(reused.body().path("error").path("code").asText()).isEqualTo("idempotency_key_reused");
            assertThat(harness.node.messageCount()).isEqualTo(stored);

            ApiClient.Answer invalid = post(harness, token, text("+15550000612", ""), "k-2");
            assertThat(invalid.status()).isEqualTo(400);
            ApiClient.Answer valid = post(harness, token, text("+15550000612", "now with a body"), "k-2");
            assertThat(valid.status()).as("a refused request stored nothing under its key").isEqualTo(202);

            Map<String, Object> sameBody = map("from", "+919800000002", "to", "+15550000611", "type", "text",
                    "text", map("body", "your code is 1234"));
            ApiClient.Answer otherProject = post(harness, otherToken, sameBody, "k-1");
            assertThat(otherProject.status()).isEqualTo(202);
            assertThat(otherProject.body().path("messages").get(0).path("id").asText())
                    .isNotEqualTo(first.path("messages").get(0).path("id").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void concurrentRetriesWithOneKeyQueueOnce(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Concurrent", 100)) {
            Harness harness = node.harness();
            String token = node.token();
            Map<String, Object> body = text("+15550000621", "pay 10 EUR");
            long before = harness.node.messageCount();
            int retries = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Answer>> answers = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < retries; i++) {
                    answers.add(threads.submit(() -> {
                        start.await();
                        return post(harness, token, body, "payment-77");
                    }));
                }
                start.countDown();
            }
            JsonNode first = answers.getFirst().get().body();
            for (Future<ApiClient.Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(202);
                assertThat(answer.get().body()).isEqualTo(first);
            }
            assertThat(harness.node.messageCount() - before).as("stored once").isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !harness.network.received("+15550000621").isEmpty());
            Thread.sleep(500);
            assertThat(harness.network.received("+15550000621")).as("sent once").hasSize(1);
        }
    }

    static ApiClient.Answer post(Harness harness, String token, Object body, String key) throws Exception {
        return harness.api.post("/v1/messages", token, body, Map.of("Idempotency-Key", key));
    }
}

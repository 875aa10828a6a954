package io.switchboard.app.api;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store that cannot keep up (here: its messages table locked by another session) does not let writes pile up in
 * the node's memory: past {@code store.max-queued-writes} new sends are answered 503 {@code store_busy} with a
 * {@code Retry-After}, at once; when the store moves again every send that was answered 202 is stored, and new sends
 * are taken again.
 */
class StoreBusyTest {
    private static final String NUMBER = "+919800000001";
    private static final int MAX_QUEUED_WRITES = 1_000;
    private static final int BULK = 100;

    @TempDir Path tempDir;

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aStoreThatCannotKeepUpAnswers503WithRetryAfterAndLosesNothingAcknowledged(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(),
                Map.of("store.max-queued-writes", MAX_QUEUED_WRITES))) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            List<Map<String, Object>> bulk = new ArrayList<>();
            for (int i = 0; i < BULK; i++) bulk.add(text(NUMBER, "+15550000" + String.format("%03d", i), "offer " + i));

            List<CompletableFuture<Http.Answer>> sends = new ArrayList<>();
            try (Connection locker = harness.storeConnection()) {
                lockMessages(locker, kind);
                // Each bulk send waits for the locked store; once the writer holds more than the bound, sends are refused.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    sends.add(CompletableFuture.supplyAsync(() -> send(http, token, bulk)));
                    return sends.stream().anyMatch(send -> send.isDone() && send.join().status() == 503);
                });
            } // closing the session ends its lock: the store moves again
            Http.Answer busy = sends.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                    .filter(answer -> answer.status() == 503).findFirst().orElseThrow();
            assertThat(busy.code()).isEqualTo("store_busy");
            assertThat(busy.header("Retry-After")).contains("1");
            List<String> acknowledged = new ArrayList<>();
            for (CompletableFuture<Http.Answer> send : sends) {
                Http.Answer answer = send.join();
                assertThat(answer.status()).as(answer.body().toString()).isIn(202, 503);
                if (answer.status() == 202) answer.body().path("messages").forEach(m -> acknowledged.add(m.path("id").asText()));
            }
            assertThat(acknowledged).as("the sends queued before the bound was reached").isNotEmpty();
            try (Connection check = harness.storeConnection()) {
                assertThat(storedOf(check, acknowledged)).as("every message answered 202 is stored").isEqualTo(acknowledged.size());
            }
            assertThat(http.call("POST", "/v1/messages", token, text(NUMBER, "+15559999999", "again")).status())
                    .as("taken again once the store caught up").isEqualTo(202);
        }
    }

    /**
     * Requests under way past {@code api.max-requests-in-flight} are answered 503 {@code overloaded} at once, and
     * connections past {@code api.max-connections} wait unaccepted; both take new work again once some end.
     */
    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL"})
    void requestsAndConnectionsPastTheirLimitsWaitOrAre503(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(),
                Map.of("api.max-requests-in-flight", 3, "api.max-connections", 6))) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);

            for (int i = 0; i < 10; i++) { // requests that end in an error give their slot back too
                assertThat(http.call("POST", "/v1/messages", token, Map.of("to", "nobody")).status()).isEqualTo(400);
                assertThat(http.call("GET", "/v1/nothing-here", token, null).status()).isEqualTo(404);
            }
            assertThat(http.call("GET", "/v1/project", token, null).status()).isEqualTo(200);

            List<CompletableFuture<Http.Answer>> held = new ArrayList<>();
            try (Connection locker = harness.storeConnection()) {
                lockMessages(locker, kind);
                for (int i = 0; i < 3; i++) {
                    held.add(CompletableFuture.supplyAsync(() -> send(http, token, List.of(text(NUMBER, "+15550000001", "held")))));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> http.call("GET", "/v1/project", token, null).status() == 503);
                Http.Answer overloaded = http.call("GET", "/v1/project", token, null);
                assertThat(overloaded.code()).isEqualTo("overloaded");
                assertThat(overloaded.header("Retry-After")).contains("1");
            }
            for (CompletableFuture<Http.Answer> send : held) assertThat(send.join().status()).isEqualTo(202);
            assertThat(http.call("GET", "/v1/project", token, null).status()).as("served again").isEqualTo(200);

            List<Socket> idle = new ArrayList<>();
            try {
                boolean waited = false;
                while (!waited && idle.size() < 10) {
                    idle.add(new Socket("127.0.0.1", harness.node.httpPort()));
                    waited = !answersWithin(harness, Duration.ofSeconds(1));
                }
                assertThat(waited).as("a connection past the limit waits, with %d idle ones open", idle.size()).isTrue();
            } finally {
                for (Socket socket : idle) socket.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> answersWithin(harness, Duration.ofSeconds(1)));
        }
    }

    /** Whether a new connection gets an answer to GET /health in time. */
    private static boolean answersWithin(Harness harness, Duration timeout) {
        try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            return fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + "/health"))
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Http.Answer send(Http http, String token, List<Map<String, Object>> messages) {
        try {
            return http.call("POST", "/v1/messages", token, Map.of("messages", messages));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another session takes a lock that stops every insert into messages until it ends (reads go on). */
    private static void lockMessages(Connection connection, TestStores.Kind kind) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(kind == TestStores.Kind.POSTGRESQL ? "LOCK TABLE messages IN EXCLUSIVE MODE"
                    : "LOCK TABLES messages READ");
        }
    }

    private static int storedOf(Connection connection, List<String> ids) throws Exception {
        int stored = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM messages WHERE id = ?")) {
            for (String id : ids) {
                query.setLong(1, io.switchboard.store.Ids.parse(id));
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    stored += row.getInt(1);
                }
            }
        }
        return stored;
    }
}

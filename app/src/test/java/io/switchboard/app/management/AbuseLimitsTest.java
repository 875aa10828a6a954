package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-token and per-project request rates (429 with Retry-After, then recovery) and the request body limit (413,
 * nothing written).
 */
class AbuseLimitsTest {
    private static final String NUMBER = "+919800000001";
    private static final String USER = "+15550000042";
    private static final int RATE = 2;
    private static final int BURST = 5;
    private static final int MAX_BODY = 64 * 1024;

    @TempDir static Path tempDir;
    static Harness harness;
    static Http http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults(),
                Map.of("api.rate-per-token", RATE, "api.burst-per-token", BURST, "api.max-body-bytes", MAX_BODY));
        http = new Http(harness.node.httpPort());
        token = harness.project("Shop");
        harness.number(token, NUMBER, 100);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void aTokenOverItsRateIsRefusedWith429AndRetryAfterThenServedAgain() throws Exception {
        String fast = newToken("fast");
        String calm = newToken("calm");
        List<Integer> statuses = new ArrayList<>();
        long start = System.nanoTime();
        Http.Answer refused = null;
        while (refused == null && statuses.size() < 200) {
            Http.Answer answer = http.call("GET", "/v1/project", fast, null);
            statuses.add(answer.status());
            if (answer.status() == 429) refused = answer;
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(refused).as("a 429 among " + statuses).isNotNull();
        long served = statuses.stream().filter(s -> s == 200).count();
        assertThat(served).as("served before the first 429, in %.2f s", seconds)
                .isGreaterThanOrEqualTo(BURST).isLessThanOrEqualTo(BURST + (long) Math.ceil(seconds * RATE) + 1);
        assertThat(refused.code()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(http.call("GET", "/v1/project", calm, null).status()).as("another token of the project").isEqualTo(200);

        Thread.sleep(retryAfter * 1_000);
        assertThat(http.call("GET", "/v1/project", fast, null).status()).as("after Retry-After").isEqualTo(200);
    }

    /** Many tokens do not buy a project more: its own rate holds over all of them, and other projects are not slowed. */
    @Test
    void aProjectOverItsRateThroughManyTokensIsRefusedWith429() throws Exception {
        int rate = 3;
        int burst = 6;
        try (Harness limited = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("per-project"), SimConfig.defaults(),
                Map.of("api.rate-per-project", rate, "api.burst-per-project", burst))) {
            Http api = new Http(limited.node.httpPort());
            String first = limited.project("Busy");
            String other = limited.project("Quiet");
            List<String> tokens = new ArrayList<>(List.of(first));
            for (int i = 0; i < 4; i++) {
                tokens.add(api.call("POST", "/v1/tokens", first, Map.of("name", "t" + i, "scopes", List.of("read")))
                        .body().path("token").asText());
            }
            List<Integer> statuses = new ArrayList<>();
            long start = System.nanoTime();
            Http.Answer refused = null;
            while (refused == null && statuses.size() < 200) {
                Http.Answer answer = api.call("GET", "/v1/project", tokens.get(statuses.size() % tokens.size()), null);
                statuses.add(answer.status());
                if (answer.status() == 429) refused = answer;
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(refused).as("a 429 among " + statuses).isNotNull();
            long served = statuses.stream().filter(s -> s == 200).count();
            // The token calls above spent the project's budget too.
            assertThat(served + tokens.size() - 1).as("served before the first 429, in %.2f s", seconds)
                    .isLessThanOrEqualTo(burst + (long) Math.ceil(seconds * rate) + 1);
            assertThat(refused.code()).isEqualTo("rate_limited");
            assertThat(refused.body().path("error").path("message").asText()).contains("project");
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(api.call("GET", "/v1/project", other, null).status()).as("another project").isEqualTo(200);
        }
    }

    /**
     * A project's queue has a bound: once that many of its messages wait, its sends are refused with 429 queue_full
     * and Retry-After, and nothing of them is stored, while other projects still send; it sends again once its queue
     * has drained.
     */
    @Test
    void aProjectWhoseQueueIsFullIsRefusedWith429UntilItDrains() throws Exception {
        int room = 40;
        try (Harness limited = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("queue-room"), SimConfig.defaults(),
                Map.of("api.max-queued-per-project", room))) {
            Http api = new Http(limited.node.httpPort());
            String busy = limited.project("Busy");
            String quiet = limited.project("Quiet");
            limited.number(busy, NUMBER, 10);
            limited.number(quiet, "+919800000002", 10);
            List<Map<String, Object>> campaign = new ArrayList<>();
            for (int i = 0; i < 2 * room; i++) campaign.add(text(NUMBER, "+1555000" + (1000 + i), "offer " + i));
            // Taken whole: the room is checked before a request, so a project overshoots by at most one request.
            assertThat(api.call("POST", "/v1/messages", busy, Map.of("messages", campaign)).status()).isEqualTo(202);
            Thread.sleep(100); // past the time a project's count is kept; at 10 a second, most of the 80 still wait

            long stored = limited.node.messageCount();
            Http.Answer refused = api.call("POST", "/v1/messages", busy, text(NUMBER, USER, "one more"));
            assertThat(refused.status()).as(refused.body().toString()).isEqualTo(429);
            assertThat(refused.code()).isEqualTo("queue_full");
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(limited.node.messageCount()).isEqualTo(stored);
            assertThat(api.call("POST", "/v1/messages", quiet, text("+919800000002", USER, "hello")).status())
                    .as("another project").isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                    api.call("POST", "/v1/messages", busy, text(NUMBER, USER, "later")).status() == 202);
        }
    }

    /**
     * Made-up tokens cannot turn requests into store reads: past the reads a second for tokens never seen, they are
     * answered 429 without one, while known tokens are served; a token the store just said it does not know is
     * answered 401 from memory however often it comes back.
     */
    @Test
    void madeUpTokensAreReadAtTheirRateAndAStaleOneIsAnsweredFromMemory() throws Exception {
        try (Harness limited = new Harness(TestStores.Kind.EMBEDDED, tempDir.resolve("unknown-tokens"), SimConfig.defaults(),
                Map.of("api.unknown-tokens-per-second", 5))) {
            Http api = new Http(limited.node.httpPort());
            String known = limited.project("Shop");
            List<Integer> madeUp = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                madeUp.add(api.call("GET", "/v1/project", io.switchboard.store.crypto.Tokens.newToken("sbp_"), null).status());
                assertThat(api.call("GET", "/v1/project", known, null).status()).as("a known token").isEqualTo(200);
            }
            assertThat(madeUp).containsOnly(401, 429).contains(401, 429);
            assertThat(madeUp.stream().filter(s -> s == 401).count()).as("read: about 5 a second").isLessThan(20);

            Thread.sleep(1_100); // a second's reads again
            String stale = io.switchboard.store.crypto.Tokens.newToken("sbp_");
            List<Integer> repeated = new ArrayList<>();
            for (int i = 0; i < 40; i++) repeated.add(api.call("GET", "/v1/project", stale, null).status());
            assertThat(repeated).as("one read, then remembered").containsOnly(401);
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndWritesNothing() throws Exception {
        String sender = newToken("sender");
        long before = harness.node.messageCount();
        Map<String, Object> tooLarge = bulk(MAX_BODY + 1);
        Map<String, Object> fits = bulk(MAX_BODY - 2_000);

        Http.Answer declared = http.call("POST", "/v1/messages", sender, tooLarge);
        Http.Answer chunked = http.chunked("POST", "/v1/messages", sender, tooLarge);

        for (Http.Answer answer : List.of(declared, chunked)) {
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(413);
            assertThat(answer.code()).isEqualTo("body_too_large");
            assertThat(answer.body().path("error").path("message").asText()).contains(String.valueOf(MAX_BODY));
        }
        assertThat(harness.node.messageCount()).isEqualTo(before);
        assertThat(http.chunked("POST", "/v1/messages", sender, fits).status()).as("just under the limit, chunked")
                .isEqualTo(202);
        assertThat(http.call("POST", "/v1/messages", sender, fits).status()).as("just under the limit").isEqualTo(202);
        assertThat(harness.node.messageCount()).isEqualTo(before + 2L * ((List<?>) fits.get("messages")).size());
    }

    /** A bulk send whose JSON is about {@code bytes} long. */
    private static Map<String, Object> bulk(int bytes) throws Exception {
        List<Map<String, Object>> messages = new ArrayList<>();
        int each = 1_000;
        while (true) {
            Map<String, Object> body = Map.of("messages", messages);
            int size = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body).length;
            if (size >= bytes) return body;
            int room = Math.min(each, Math.max(1, bytes - size - 90));
            messages.add(text(NUMBER, USER, "x".repeat(room)));
        }
    }

    private static String newToken(String name) throws Exception {
        return http.call("POST", "/v1/tokens", token, Map.of("name", name, "scopes", List.of("send", "read"))).body()
                .path("token").asText();
    }
}

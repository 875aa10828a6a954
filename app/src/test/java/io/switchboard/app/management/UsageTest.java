package io.switchboard.app.management;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.SimStats;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A number's daily usage agrees with what the network counted and with the messages in the store. */
class UsageTest {
    private static final String NUMBER = "+919800000001";
    private static final String QUIET = "+919800000002"; // without delivery reports
    private static final int MESSAGES = 60;

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void usageCountsEqualWhatTheNetworkAndTheStoreSaw(TestStores.Kind kind) throws Exception {
        SimConfig users = SimConfig.defaults().withReadProbability(0.5).withReplyProbability(0.3).withReadMillis(50)
                .withReplyMillis(50);
        try (Harness harness = new Harness(kind, tempDir, users)) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", QUIET, "tps", 1_000, "delivery_reports", false));
            List<String> sent = new ArrayList<>();
            for (String number : List.of(NUMBER, QUIET)) {
                List<Map<String, Object>> bulk = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) bulk.add(text(number, "+1555%07d".formatted(i), "Offer " + i));
                harness.api.expect(202, "/v1/messages", token, Map.of("messages", bulk)).path("messages")
                        .forEach(m -> sent.add(m.path("id").asText()));
            }
            for (int i = 0; i < 5; i++) {
                String user = "+1555%07d".formatted(100 + i);
                await().atMost(Duration.ofSeconds(5)).until(() -> harness.network.inject(NUMBER, user, "hello"));
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SimStats stats = harness.network.stats();
                for (String number : List.of(NUMBER, QUIET)) {
                    assertThat(stats.get(number, Counter.DELIVERED)).as(number + " delivered").isEqualTo(MESSAGES);
                    assertThat(stats.get(number, Counter.STATUSES_HANDED)).as(number + " reports taken by the node")
                            .isEqualTo(stats.get(number, Counter.DELIVERY_REPORTS) + stats.get(number, Counter.READ));
                    assertThat(stats.get(number, Counter.HANDED)).as(number + " incoming taken by the node")
                            .isEqualTo(stats.get(number, Counter.REPLIES) + stats.get(number, Counter.GENERATED));
                    assertThat(total(http, token, number)).as(number + " usage against the network's counts")
                            .isEqualTo(Map.of("sent", stats.get(number, Counter.RECEIVED) - stats.get(number, Counter.DUPLICATES),
                                    "received", stats.get(number, Counter.HANDED),
                                    "delivered", stats.get(number, Counter.DELIVERY_REPORTS),
                                    "read", stats.get(number, Counter.READ)));
                }
            });
            Thread.sleep(500); // every read and reply (50 ms after delivery) is made by now; nothing more may come
            SimStats stats = harness.network.stats();
            assertThat(stats.get(QUIET, Counter.DELIVERY_REPORTS)).isZero();
            assertThat(stats.get(NUMBER, Counter.READ)).as("some read, some not").isBetween(1L, MESSAGES - 1L);

            // The same counts from the messages themselves, as the API shows them.
            long[] fromMessages = new long[3];
            for (String id : sent) {
                JsonNode statuses = http.call("GET", "/v1/messages/" + id, token, null).body().path("statuses");
                if (statuses.has("sent")) fromMessages[0]++;
                if (statuses.has("delivered")) fromMessages[1]++;
                if (statuses.has("read")) fromMessages[2]++;
            }
            Map<String, Long> number = total(http, token, NUMBER);
            Map<String, Long> quiet = total(http, token, QUIET);
            assertThat(new long[] {number.get("sent") + quiet.get("sent"), number.get("delivered") + quiet.get("delivered"),
                    number.get("read") + quiet.get("read")}).containsExactly(fromMessages);
            assertThat(number.get("received") + quiet.get("received"))
                    .isEqualTo(harness.receiver.calls("/webhook").stream().map(c -> c.body().path("id").asText()).distinct().count());
            assertThat(number.get("received")).isEqualTo(stats.get(NUMBER, Counter.HANDED)).isGreaterThanOrEqualTo(5);
        }
    }

    /** The number's totals over yesterday and today (UTC), so a run across midnight counts the same. */
    private static Map<String, Long> total(Http http, String token, String number) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Http.Answer answer = http.call("GET", "/v1/numbers/" + number + "/usage?from=" + today.minusDays(1) + "&to=" + today,
                token, null);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().path("days")).hasSize(2);
        JsonNode total = answer.body().path("total");
        return Map.of("sent", total.path("sent").asLong(), "received", total.path("received").asLong(),
                "delivered", total.path("delivered").asLong(), "read", total.path("read").asLong());
    }
}

package io.switchboard.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code bench upstream} on a short run: the node sends through the stand-in for Meta and takes its signed status
 * webhooks, every figure is produced, nothing is lost or sent twice; and the stand-in refuses as Meta does.
 */
class UpstreamBenchTest {

    @Test
    void aShortRunProducesEveryFigureAndLosesNothing() throws Exception {
        Report report = new Report("upstream", System.out);
        new UpstreamScenario().run(new BenchOptions(new Rig.Store(null, null, null), Duration.ofSeconds(3), 1, 1, 2,
                null, Duration.ofSeconds(1), 1, 0, false, 1, 1, "postgresql", 0, "512m", Duration.ofMillis(50), 200), report);

        assertThat(report.value("accepted")).as("2 numbers offered 200 a second for 2 s warm-up and 3 s").isGreaterThan(1_000);
        assertThat(report.value("reached_meta_per_s")).isPositive();
        assertThat(report.value("reached_meta_per_number_per_s")).isEqualTo(report.value("reached_meta_per_s") / 2);
        assertThat(report.value("graph_latency_p50_ms")).isGreaterThanOrEqualTo(50);
        assertThat(report.value("graph_latency_p99_ms")).isGreaterThanOrEqualTo(report.value("graph_latency_p50_ms"));
        assertThat(report.value("webhook_events_per_s")).as("sent, delivered and read for each").isPositive();
        assertThat(report.value("throttled")).isNotNegative();
        assertThat(report.value("lost")).isZero();
        assertThat(report.value("duplicates")).isZero();
    }

    @Test
    void theStandInRefusesPastTheThroughputWith130429AndAUserSentToAgainWith131056() throws Exception {
        try (MetaStandIn meta = new MetaStandIn(Duration.ZERO, 3, "secret");
             HttpClient client = HttpClient.newHttpClient()) {
            meta.number("1065", "token");
            assertThat(send(client, meta, "wrong", "+15550000001")).contains("\"code\":190");
            assertThat(send(client, meta, "token", "+15550000001")).contains("wamid.");
            assertThat(send(client, meta, "token", "+15550000001")).as("within 6 s").contains("\"code\":131056");
            assertThat(send(client, meta, "token", "+15550000002")).contains("wamid.");
            assertThat(send(client, meta, "token", "+15550000003")).contains("wamid.");
            assertThat(send(client, meta, "token", "+15550000004")).as("a 4th within the second at 3 mps")
                    .contains("\"code\":130429");
            assertThat(meta.taken.sum()).isEqualTo(3);
            assertThat(meta.pairLimited.sum()).isEqualTo(1);
            assertThat(meta.throttled.sum()).isEqualTo(1);
        }
    }

    private static String send(HttpClient client, MetaStandIn meta, String token, String to) throws Exception {
        String body = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\"hi " + to + "\"}}";
        return client.send(HttpRequest.newBuilder(URI.create(meta.baseUrl() + "/" + MetaStandIn.VERSION + "/1065/messages"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

package io.switchboard.network.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.network.SimLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class StatsHttpTest extends SimTestSupport {
    private static final String USER = "+15551234567";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode get(SimNetwork network, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(network, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(SimNetwork network, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(network, path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(SimNetwork network, String path) {
        return URI.create("http://127.0.0.1:" + network.statsPort() + path);
    }

    @Test
    void theStatsEndpointServesGlobalAndPerNumberCounters() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 10, listener);
        listener.autoAck = link;
        link.send(1L, USER, "text", "{\"body\":\"hi\"}");
        await().until(() -> network.stats().get(Counter.STATUSES_HANDED) == 2);

        JsonNode stats = get(network, "/stats");

        assertThat(stats.get("received").asLong()).isEqualTo(1);
        assertThat(stats.get("logins").asLong()).isEqualTo(1);
        assertThat(stats.get("delivered").asLong()).isEqualTo(1);
        assertThat(stats.get("read").asLong()).isEqualTo(1);
        assertThat(stats.get("queued").asLong()).isZero();
        for (Counter c : Counter.values()) {
            assertThat(stats.has(c.key())).as(c.key()).isTrue();
        }
        JsonNode perNumber = stats.get("numbers").get(NUMBER);
        assertThat(perNumber.get("received").asLong()).isEqualTo(1);
        assertThat(perNumber.get("statuses_handed").asLong()).isEqualTo(2);
    }

    @Test
    void messagesCanBeInspectedInjectedAndTheRateControlledOverHttp() throws Exception {
        SimNetwork network = network(fast());
        RecordingListener listener = new RecordingListener();
        SimLink link = link(network, 0, 1, 1, 10, listener);
        listener.autoAck = link;
        link.send(1L, USER, "text", "{\"body\":\"hi\"}");
        await().until(() -> !network.received(USER).isEmpty());

        JsonNode inbox = get(network, "/users/" + USER + "/messages");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).get("messageId").asLong()).isEqualTo(1);
        assertThat(inbox.get(0).get("from").asText()).isEqualTo(NUMBER);
        assertThat(get(network, "/users/%2B15550000000/messages")).isEmpty();

        HttpResponse<String> injected = post(network, "/inject",
                "{\"number\":\"" + NUMBER + "\",\"from\":\"+15550009999\",\"text\":\"hello there\"}");
        assertThat(injected.statusCode()).isEqualTo(200);
        await().until(() -> listener.of(RecordingListener.Inbound.class).size() == 1);
        assertThat(listener.of(RecordingListener.Inbound.class).getFirst().message().payload())
                .isEqualTo("{\"body\":\"hello there\"}");
        assertThat(post(network, "/inject", "{\"number\":\"x\"}").statusCode()).isEqualTo(400);

        assertThat(post(network, "/control", "{\"inbound_rate_per_number\": 12.5}").statusCode()).isEqualTo(200);
        assertThat(network.inboundRate()).isEqualTo(12.5);
        assertThat(post(network, "/stats", "{}").statusCode()).isEqualTo(405);
    }
}

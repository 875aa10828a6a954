package io.switchboard.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta's hub.mode/hub.challenge/hub.verify_token handshake: a Cloud-format webhook URL is saved only when the
 * endpoint echoes the challenge to a GET with the project's verify token, as Meta does when a callback URL is set.
 * The harness's receiver is a bot that echoes only its own verify token.
 */
class CloudHandshakeTest {
    @TempDir Path tempDir;

    @Test
    void aCloudWebhookUrlIsSavedOnlyWhenItEchoesTheChallenge() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            var refused = harness.api.post("/v1/projects", harness.adminToken, Map.of("name", "Bot",
                    "webhook_url", harness.receiver.url("/webhook"), "webhook_format", "cloud",
                    "webhook_verify_token", "not-the-bots-token"));
            assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("webhook_not_verified");
            assertThat(refused.body().path("error").path("field").asText()).isEqualTo("webhook_url");

            var noToken = harness.api.post("/v1/projects", harness.adminToken, Map.of("name", "Bot",
                    "webhook_url", harness.receiver.url("/webhook"), "webhook_format", "cloud"));
            assertThat(noToken.status()).isEqualTo(400);
            assertThat(noToken.body().path("error").path("field").asText()).isEqualTo("webhook_verify_token");

            var made = harness.api.post("/v1/projects", harness.adminToken, Map.of("name", "Bot",
                    "webhook_url", harness.receiver.url("/webhook"), "event_webhook_url", harness.receiver.url("/events"),
                    "webhook_format", "cloud", "webhook_verify_token", Receiver.VERIFY_TOKEN));
            assertThat(made.status()).as(made.body().toString()).isEqualTo(201);
            assertThat(made.body().path("webhook_format").asText()).isEqualTo("cloud");
        }
    }

    @Test
    void switchingToCloudVerifiesTheUrlsAndAnEndpointThatDoesNotEchoKeepsTheOldSettings() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            String token = harness.project("Shop"); // native: no handshake
            // An endpoint that answers every GET 200 but not with the challenge, as a bot that never verifies does.
            HttpServer silentBot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            silentBot.createContext("/", exchange -> {
                try (exchange) {
                    exchange.sendResponseHeaders(200, 2);
                    exchange.getResponseBody().write("ok".getBytes());
                }
            });
            silentBot.start();
            var silent = harness.api.patch("/v1/project", token, Map.of("webhook_format", "cloud",
                    "webhook_url", "http://127.0.0.1:" + silentBot.getAddress().getPort() + "/hook?x=1",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN));
            silentBot.stop(0);
            assertThat(silent.status()).isEqualTo(400);
            assertThat(silent.body().path("error").path("field").asText()).isEqualTo("webhook_url");
            var unchanged = harness.api.get("/v1/project", token).body();
            assertThat(unchanged.path("webhook_format").asText()).isEqualTo("native");
            assertThat(unchanged.path("webhook_url").asText()).isEqualTo(harness.receiver.url("/webhook"));

            var wrongForEvents = harness.api.patch("/v1/project", token, Map.of("webhook_format", "cloud",
                    "webhook_verify_token", "wrong"));
            assertThat(wrongForEvents.status()).isEqualTo(400);

            var switched = harness.api.patch("/v1/project", token, Map.of("webhook_format", "cloud",
                    "webhook_verify_token", Receiver.VERIFY_TOKEN));
            assertThat(switched.status()).as(switched.body().toString()).isEqualTo(200);
            assertThat(harness.api.get("/v1/project", token).body().path("webhook_format").asText()).isEqualTo("cloud");
            // Settings that leave the URLs as they are need no handshake.
            assertThat(harness.api.patch("/v1/project", token, Map.of("webhook_concurrency", 3)).status()).isEqualTo(200);
        }
    }
}

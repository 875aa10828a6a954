package io.switchboard.app.observe;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.logging.LogFormats;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.LogCapture;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's log output, as text and as JSON lines, after a run that handles every kind of secret and message body
 * (tokens, the master key, webhook secrets and their rotation, a secret in a webhook URL, bodies out and in, an
 * invalid instant reply, bad requests, dashboard logins good and bad, failing webhooks), at DEBUG: none of them
 * appears. Every JSON line parses, one event a line.
 */
class LogsKeepNoSecretsTest {
    private static final String NUMBER = "+919800000001";
    private static final String BODY = "body-marker-7f3a9c";
    private static final String URL_SECRET = "urlsecret-51d2e8";

    @TempDir Path tempDir;

    @Test
    void logsHoldNoSecretAndNoMessageBody() throws Exception {
        LogCapture text = LogCapture.text();
        LogCapture json = LogCapture.with(LogFormats::json);
        List<String> secrets = new ArrayList<>(List.of(BODY, URL_SECRET));
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String masterKey = Base64.getEncoder().encodeToString(key);
            secrets.add(masterKey);
            Map<String, Object> settings = Map.of("master-key", masterKey, "webhooks.retry-first-ms", 50,
                    "webhooks.retry-window-s", 2);
            try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir,
                    SimConfig.defaults().withReplyProbability(1.0).withReplyMillis(50), settings)) {
                secrets.add(harness.adminToken);
                AtomicInteger calls = new AtomicInteger();
                harness.receiver.answer(call -> switch (calls.incrementAndGet() % 3) {
                    case 0 -> new Receiver.Answer(500, "{\"error\":\"" + BODY + "\"}");
                    case 1 -> new Receiver.Answer(200, "{\"type\":\"text\",\"text\":{\"body\":\"\"},\"note\":\"" + BODY + "\"}");
                    default -> new Receiver.Answer(200, "{\"type\":\"text\",\"text\":{\"body\":\"thanks " + BODY + "\"}}");
                });
                JsonNode project = harness.createProject("Shop", Map.of(
                        "webhook_url", harness.receiver.url("/webhook?key=" + URL_SECRET),
                        "event_webhook_url", harness.receiver.url("/events?key=" + URL_SECRET)));
                String token = project.get("token").asText();
                secrets.add(token);
                secrets.add(project.get("webhook_secret").asText());
                harness.number(token, NUMBER, 200);
                JsonNode rotated = harness.api.expect(200, "/v1/project/webhook-secret/rotate", token, Map.of());
                secrets.add(rotated.get("secret").asText());

                List<Map<String, Object>> batch = new ArrayList<>();
                for (String user : harness.network.users().subList(0, 20)) batch.add(text(NUMBER, user, "offer " + BODY));
                harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
                harness.network.inject(NUMBER, harness.network.users().get(50), "hello " + BODY);
                harness.api.post("/v1/messages", token, Map.of("from", NUMBER, "to", "not-a-number", "type", "text",
                        "text", Map.of("body", BODY)));
                harness.api.post("/v1/messages", "sbp_wrong" + BODY, Map.of());
                String badToken = "sba_bad" + BODY;
                secrets.add(badToken);
                HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
                String base = "http://127.0.0.1:" + harness.node.httpPort();
                for (String login : List.of(harness.adminToken, token, badToken)) {
                    http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("token=" + login)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .header("Authorization", "Bearer " + login).build(), HttpResponse.BodyHandlers.discarding());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> harness.receiver.calls("/webhook").size() >= 10
                        && harness.node.dispatcher().counters().failedCalls() > 0);
            }
        } finally {
            json.close();
            text.close();
        }

        String textLog = text.output();
        String jsonLog = json.output();
        assertThat(textLog).as("the run was logged").contains("node up").contains("failed (HTTP 500)").contains("was not sent");
        for (String secret : secrets) {
            assertThat(textLog).as("text log").doesNotContain(secret);
            assertThat(jsonLog).as("JSON log").doesNotContain(secret);
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = jsonLog.lines().toList();
        assertThat(lines).hasSizeGreaterThan(5);
        for (String line : lines) {
            JsonNode event = mapper.readTree(line);
            assertThat(event.path("message").isTextual()).as("one event a line: %s", line).isTrue();
            assertThat(event.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        }
    }
}

package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.SelfSigned;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener: the same API as plain HTTP, with the operator's certificate; plain HTTP keeps working. */
class CloudApiHttpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tempDir;

    @Test
    void aClientThatSpeaksOnlyHttpsSendsThroughTheTlsListener() throws Exception {
        SelfSigned certificate = SelfSigned.make(tempDir);
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, Messaging.QUIET_USERS, Map.of(
                "https.port", 0, "https.keystore", certificate.keystore(),
                "https.keystore-password", certificate.password()))) {
            String token = harness.project("Tls");
            harness.number(token, NUMBER, 20);
            int port = harness.node.httpsPort();
            assertThat(port).isPositive().isNotEqualTo(harness.node.httpPort());
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                            + CloudApiEndpointTest.MESSAGES))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"messaging_product":"whatsapp","to":"15550003000","type":"text","text":{"body":"over TLS"}}"""))
                    .build();

            HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.clientContext()).build();
            HttpResponse<String> answer = trusting.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("messages").get(0).path("id").asText()).startsWith("wamid.");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(harness.network.received("+15550003000")).hasSize(1));
            // A client that does not trust the certificate is refused: it is really TLS, with our certificate.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(harness.api.get("/health", null).status()).isEqualTo(200); // plain HTTP still serves
        }
    }
}

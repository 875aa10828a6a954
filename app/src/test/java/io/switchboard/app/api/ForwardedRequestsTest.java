package io.switchboard.app.api;

import static io.switchboard.app.testing.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.ClusterSignatures;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one node of a cluster passes on to another is vouched for by the cluster, not by the caller's token: a request
 * signed with the store's key (which only the nodes can open) acts for the project it names with no token at all,
 * and one that says it was passed on without a valid signature is refused with 401, whatever token it carries.
 */
class ForwardedRequestsTest {
    private static final String NUMBER = "+919800000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path tempDir;

    @Test
    void aSignedForwardActsForItsProjectAndAForgedOneIsRefused() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            JsonNode owner = harness.createProject("Owner", Map.of());
            String ownerToken = owner.path("token").asText();
            String intruderToken = harness.project("Intruder");
            harness.number(ownerToken, NUMBER, 100);
            Map<String, Object> later = new java.util.HashMap<>(text(NUMBER, "+15550000042", "next hour"));
            later.put("schedule_at", java.time.Instant.now().plusSeconds(3_600).toString());
            String id = harness.api.expect(202, "/v1/messages", ownerToken, later).path("messages").get(0).path("id").asText();
            String path = "/v1/messages/" + id;

            HttpResponse<String> forged = delete(harness, path, Map.of("Authorization", "Bearer " + intruderToken,
                    "Switchboard-Forwarded", "node-x", "Switchboard-Project", owner.path("id").asText(),
                    "Switchboard-Signature", "t=" + now() + ",v1=" + "0".repeat(64)));
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
            assertThat(JSON.readTree(forged.body()).path("error").path("code").asText()).isEqualTo("invalid_forward");
            assertThat(status(harness, ownerToken, id)).isEqualTo("scheduled");

            byte[] key;
            try (Connection store = harness.storeConnection()) {
                key = ClusterSignatures.key(store, Vault.fromKeyFile(tempDir.resolve("data").resolve("master.key")));
            }
            String signature = ClusterSignatures.sign(key, "DELETE", path, "node-x", owner.path("id").asText(), null,
                    new byte[0]);
            HttpResponse<String> signed = delete(harness, path, Map.of("Switchboard-Forwarded", "node-x",
                    "Switchboard-Project", owner.path("id").asText(), "Switchboard-Signature", signature));
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            assertThat(status(harness, ownerToken, id)).isEqualTo("cancelled");
        }
    }

    private HttpResponse<String> delete(Harness harness, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.node.httpPort() + path))
                .DELETE();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(Harness harness, String token, String id) throws Exception {
        return harness.api.get("/v1/messages/" + id, token).body().path("status").asText();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}

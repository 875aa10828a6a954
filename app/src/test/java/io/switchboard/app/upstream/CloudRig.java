package io.switchboard.app.upstream;

import static io.switchboard.app.testing.Harness.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node, the stand-in of Meta's Cloud API, a project whose webhooks are the receiver's, and the project's number
 * connected to the stand-in.
 */
public record CloudRig(Harness harness, CloudApiStandIn meta, String token) implements AutoCloseable {
    public static final String NUMBER = "+15550001111";
    public static final String PHONE_NUMBER_ID = "106540352242922";
    public static final String ACCESS_TOKEN = "EAAG-access-token-4f8e1c";
    public static final String APP_SECRET = "app-secret-9b2d7a";
    static final String VERIFY_TOKEN = "verify-token-3c6e0f";

    static CloudRig start(TestStores.Kind kind, Path tempDir, int tps, Map<String, Object> settings) throws Exception {
        Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), settings);
        CloudApiStandIn meta = new CloudApiStandIn(PHONE_NUMBER_ID, ACCESS_TOKEN, APP_SECRET);
        meta.webhookUrl("http://127.0.0.1:" + harness.node.httpPort() + "/upstream/cloud/webhook");
        String token = harness.project("Shop");
        harness.api.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", tps, "upstream", upstream(meta)));
        return new CloudRig(harness, meta, token);
    }

    /** The {@code upstream} of a number connected to the stand-in. */
    public static Map<String, Object> upstream(CloudApiStandIn meta) {
        return Map.of("kind", "cloud", "base_url", meta.baseUrl(), "api_version", CloudApiStandIn.VERSION,
                "phone_number_id", PHONE_NUMBER_ID, "waba_id", CloudApiStandIn.WABA_ID, "access_token", ACCESS_TOKEN,
                "app_secret", APP_SECRET,
                "verify_token", VERIFY_TOKEN);
    }

    /** Sends one text to each user; answers the message ids in order. */
    List<String> send(List<String> users, String body) throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (String user : users) batch.add(text(NUMBER, user, body));
        JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
        List<String> ids = new ArrayList<>();
        accepted.path("messages").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    JsonNode message(String id) throws Exception {
        return harness.api.get("/v1/messages/" + id, token).body();
    }

    String status(String id) throws Exception {
        return message(id).path("status").asText();
    }

    /** The Event Webhook's statuses per message id, in the order they came. */
    Map<String, List<String>> events() {
        Map<String, List<String>> byMessage = new LinkedHashMap<>();
        for (JsonNode event : harness.receiver.events("/events")) {
            byMessage.computeIfAbsent(event.path("message_id").asText(), id -> new ArrayList<>())
                    .add(event.path("status").asText());
        }
        return byMessage;
    }

    @Override
    public void close() throws Exception {
        harness.close();
        meta.close();
    }

    /** Users (E.164) numbered from {@code from}. */
    static List<String> users(int from, int count) {
        List<String> users = new ArrayList<>();
        for (int i = from; i < from + count; i++) users.add("+9198765%05d".formatted(i));
        return users;
    }
}

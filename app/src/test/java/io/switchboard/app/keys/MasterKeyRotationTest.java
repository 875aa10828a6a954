package io.switchboard.app.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.switchboard.app.Node;
import io.switchboard.app.cli.Main;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.app.upstream.CloudRig;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Master key rotation with no downtime, on each store: a store made under key A; the node restarted with B current
 * and A previous serves sends, incoming messages and signed webhooks while {@code switchboard keys rewrap} runs
 * beside it; then a node given only B starts and reads every body, media file, secret and upstream token, and A
 * alone is refused.
 */
class MasterKeyRotationTest {
    private static final String NUMBER = "+919800000001";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path tempDir;
    private final String keyA = Vault.newMasterKey();
    private final String keyB = Vault.newMasterKey();

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aRollingRestartAndARewrapMoveTheStoreToTheNewKeyWithNoDowntime(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0),
                Map.of("master-key", keyA));
             CloudApiStandIn meta = new CloudApiStandIn(CloudRig.PHONE_NUMBER_ID, CloudRig.ACCESS_TOKEN,
                     CloudRig.APP_SECRET)) {
            JsonNode project = harness.createProject("Shop", Map.of());
            String token = project.path("token").asText();
            String secret = project.path("webhook_secret").asText();
            harness.number(token, NUMBER, 1_000);
            harness.api.expect(201, "/v1/numbers", token, Map.of("number", CloudRig.NUMBER, "tps", 100,
                    "upstream", CloudRig.upstream(meta)));
            byte[] image = Uploads.file(20_000, new byte[] {(byte) 0xFF, (byte) 0xD8});
            String media = new Uploads(harness.node.httpPort()).uploaded(token, NUMBER, image, "image/jpeg");
            String user = harness.network.users().getFirst();
            String sentUnderA = send(harness.api, token, user, "sent under A");
            traffic(harness, harness.api, token, user, 1);
            harness.node.close();

            // (b) the node restarted with B as current and A as previous.
            try (Node rotated = harness.anotherNode(Map.of("master-key", keyB, "master-keys-previous", keyA))) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + rotated.httpPort());
                // (c) the rewrap, while the node serves.
                CompletableFuture<String> rewrap = CompletableFuture.supplyAsync(() -> keys(harness, "rewrap"));
                int round = 1;
                do traffic(harness, api, token, user, ++round); while (!rewrap.isDone() || round < 3);
                String report = rewrap.join();
                assertThat(report).contains("data keys: 2 rewrapped, 0 already under it",
                        "webhook signing secrets: 1 rewrapped", "upstream access tokens: 1 rewrapped",
                        "upstream app secrets: 1 rewrapped", "store keys: 2 rewrapped",
                        "master key check: 1 rewrapped", "Done: nothing is left under another key");
                assertThat(keys(harness, "rewrap")).as("a second run").contains("data keys: 0 rewrapped, 2 already under it",
                        "master key check: 0 rewrapped, 1 already under it");
                traffic(harness, api, token, user, ++round);
            }

            // (d) A dropped: B alone opens everything the store holds.
            try (Node onlyB = harness.anotherNode(Map.of("master-key", keyB, "master-keys-previous", ""))) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + onlyB.httpPort());
                assertThat(api.get("/v1/messages/" + sentUnderA, token).body().path("text").path("body").asText())
                        .isEqualTo("sent under A");
                assertThat(new Uploads(onlyB.httpPort()).get(token, media).bytes()).isEqualTo(image);
                assertThat(api.get("/v1/contacts?number=%2B919800000001", token).body().path("contacts")
                        .findValuesAsText("profile_name")).hasSize(1);
                traffic(harness, api, token, user, 99);
                for (Receiver.Call call : harness.receiver.calls("/webhook")) {
                    new Webhook(secret).verify(new String(call.raw(), StandardCharsets.UTF_8), call.headers());
                    String id = call.body().path("id").asText();
                    assertThat(api.get("/v1/messages/" + id, token).body().path("text").path("body").asText())
                            .as("every incoming body, under A or B").isEqualTo(call.body().path("text").path("body").asText());
                }
                // The upstream's access token (the stand-in checks it) and app secret (its webhook's signature).
                send(api, token, CloudRig.NUMBER, user, "through the Cloud API");
                await().atMost(WAIT).until(() -> meta.accepted().size() == 1);
                meta.webhookUrl("http://127.0.0.1:" + onlyB.httpPort() + "/upstream/cloud/webhook");
                assertThat(meta.send(meta.incoming("wamid.B", user, "Ravi", "signed by Meta"))).isEqualTo(200);
            }
            assertThatThrownBy(() -> harness.anotherNode(Map.of("master-key", keyA))).as("A alone, after the rewrap")
                    .hasMessageContaining("another master key");
        }
    }

    /**
     * The key file: {@code keys rotate --data DIR} writes a new master.key, keeps the old key in master.key.previous and
     * rewraps; the node then starts on both files, and on the new key file alone once the previous one is deleted.
     */
    @Test
    void keysRotateTurnsTheKeyFileAndRewrapsTheEmbeddedStore() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults().withReplyProbability(0))) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 1_000);
            String user = harness.network.users().getFirst();
            String sent = send(harness.api, token, user, "sent under the first key");
            traffic(harness, harness.api, token, user, 1);
            harness.node.close();
            Path keyFile = tempDir.resolve("data").resolve("master.key");
            String first = Files.readString(keyFile).trim();

            List<String> args = new ArrayList<>(List.of("keys", "rotate"));
            args.addAll(harness.storeOptions());
            String report = run(args);

            assertThat(report).contains("data keys: 1 rewrapped", "webhook signing secrets: 1 rewrapped",
                    "Done: nothing is left under another key");
            assertThat(Files.readString(keyFile).trim()).isNotEqualTo(first);
            assertThat(Files.readAllLines(keyFile.resolveSibling("master.key.previous"))).containsExactly(first);
            try (Node rotated = harness.anotherNode()) {
                traffic(harness, new ApiClient("http://127.0.0.1:" + rotated.httpPort()), token, user, 2);
            }
            Files.delete(keyFile.resolveSibling("master.key.previous"));
            try (Node newKeyOnly = harness.anotherNode()) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + newKeyOnly.httpPort());
                assertThat(api.get("/v1/messages/" + sent, token).body().path("text").path("body").asText())
                        .isEqualTo("sent under the first key");
                traffic(harness, api, token, user, 3);
            }
        }
    }

    /** One message sent and one received, whose webhook arrives signed with the project's secret. */
    private static void traffic(Harness harness, ApiClient api, String token, String user, int round) throws Exception {
        int calls = harness.receiver.calls("/webhook").size();
        send(api, token, user, "round " + round);
        await().atMost(WAIT).until(() -> harness.network.received(user).stream()
                .anyMatch(m -> m.payload().contains("round " + round)));
        await().atMost(WAIT).until(() -> harness.network.inject(NUMBER, user, "reply " + round));
        await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() > calls);
    }

    private static String send(ApiClient api, String token, String user, String body) throws Exception {
        return send(api, token, NUMBER, user, body);
    }

    private static String send(ApiClient api, String token, String from, String user, String body) throws Exception {
        return api.expect(202, "/v1/messages", token, Harness.text(from, user, body)).path("messages").get(0).path("id").asText();
    }

    /** Runs {@code switchboard keys ...} against the harness's store, keys B and A from a configuration file. */
    private String keys(Harness harness, String command) {
        try {
            Path config = Files.writeString(tempDir.resolve("keys.yaml"),
                    "master-key: " + keyB + "\nmaster-keys-previous: " + keyA + "\n");
            List<String> args = new ArrayList<>(List.of("keys", command, "--config", config.toString()));
            args.addAll(harness.storeOptions());
            return run(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the command line in this process; answers what it printed. */
    private static String run(List<String> args) {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute(args.toArray(String[]::new));
        assertThat(exit).as(out.toString()).isZero();
        return out.toString();
    }
}

package io.switchboard.app.upstream;

import static io.switchboard.app.upstream.CloudRig.ACCESS_TOKEN;
import static io.switchboard.app.upstream.CloudRig.APP_SECRET;
import static io.switchboard.app.upstream.CloudRig.NUMBER;
import static io.switchboard.app.upstream.CloudRig.PHONE_NUMBER_ID;
import static io.switchboard.app.upstream.CloudRig.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.bench.ClusterLoad;
import io.switchboard.app.bench.NodeProcess;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.ClusterSignatures;
import io.switchboard.app.testing.Harness;
import io.switchboard.dispatcher.signing.Signer;
import io.switchboard.network.Shards;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Meta sends every webhook of an app to one URL, so any node of a cluster takes them. Two nodes share a PostgreSQL
 * or MariaDB store, each running one of a Cloud API number's two shards, and one signed webhook holds a part for
 * each: an incoming message from a user of node B's shard and a status of a message sent to a user of node A's.
 * Whichever node it reaches takes its own part and passes the body on to the other for the rest, and answers 200
 * once both are stored; a wrongly signed body is refused on either with nothing taken. A call passed on is taken
 * only for the shards it was passed on for, never passed on again, and refused when one of them does not run
 * there. Node B is a process of its own, so that it can be killed: while its lease outlives it, a part of its shard
 * is answered 503 (Meta sends it again), and taken once node A runs the shard.
 */
class ClusteredCloudWebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";
    private static final int HEARTBEAT_MS = 200;
    /** Node B's lease: long enough that its shard stays its own for a while after it is killed. */
    private static final int LEASE_B_MS = 8_000;

    @TempDir Path tempDir;
    private final String masterKey = Base64.getEncoder().encodeToString(new byte[32]);

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void anyNodeTakesMetasWebhooksAndPassesTheOtherNodesPartsOn(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), Map.of("master-key", masterKey,
                     "cluster.enabled", true, "cluster.node-id", NODE_A, "cluster.heartbeat-ms", HEARTBEAT_MS,
                     "cluster.lease-ms", 1_000));
             CloudApiStandIn meta = new CloudApiStandIn(PHONE_NUMBER_ID, ACCESS_TOKEN, APP_SECRET);
             NodeProcess b = nodeB(harness).start()) {
            ApiClient a = harness.api;
            String token = harness.project("Shop");
            a.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 2,
                    "upstream", CloudRig.upstream(meta)));
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(ClusterLoad.owners(a, harness.adminToken, NUMBER).values())
                            .containsExactlyInAnyOrder(NODE_A, NODE_B));
            Map<Integer, String> owners = ClusterLoad.owners(a, harness.adminToken, NUMBER);
            String onA = userOn(owners, NODE_A);
            String onB = userOn(owners, NODE_B);
            String sent = a.expect(202, "/v1/messages", token, Harness.text(NUMBER, onA, "Your order shipped"))
                    .path("messages").get(0).path("id").asText();
            await().atMost(WAIT).until(() -> status(a, token, sent).equals("sent"));
            String wamid = meta.accepted().getFirst().wamid();
            String urlA = webhookUrl(harness.node.httpPort());
            String urlB = webhookUrl(b.httpPort());

            byte[] forged = meta.together(meta.incoming("wamid.FORGED", onB, "Mallory", "forged"),
                    meta.status(wamid, onA, "failed"));
            for (String url : List.of(urlA, urlB)) {
                meta.webhookUrl(url);
                assertThat(meta.send(forged, "sha256=" + "0".repeat(64))).as("a wrong signature at %s", url).isEqualTo(403);
            }

            meta.webhookUrl(urlA);
            assertThat(meta.send(meta.together(meta.incoming("wamid.VIA_A", onB, "Asha", "via node A"),
                    meta.status(wamid, onA, "delivered")))).as("node A takes its status, node B the message").isEqualTo(200);
            assertThat(status(a, token, sent)).as("answered once stored").isEqualTo("delivered");
            meta.webhookUrl(urlB);
            assertThat(meta.send(meta.together(meta.incoming("wamid.VIA_B", onB, "Asha", "via node B"),
                    meta.status(wamid, onA, "read")))).as("node B takes the message, node A its status").isEqualTo(200);
            assertThat(status(a, token, sent)).isEqualTo("read");
            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() == 2);
            assertThat(harness.receiver.textsByUser("/webhook")).as("only the signed messages were taken")
                    .isEqualTo(Map.of(onB, List.of("via node A", "via node B")));
            assertThat(a.get("/v1/messages/" + sent, token).body().path("statuses").fieldNames()).toIterable()
                    .as("the forged failed was not taken").containsExactly("queued", "sent", "delivered", "read");

            // Passed on by node A for node B's shard, node B takes only that shard's parts and passes nothing on;
            // named a shard it does not run (its lease moved since node A looked), it refuses, so Meta sends it again.
            byte[] forA = meta.incoming("wamid.FOR_A", onA, "Ravi", "node A's");
            assertThat(passedOn(harness, b.httpPort(), forA, NUMBER + "/" + Shards.of(onB, 2))).as("not node B's part").isEqualTo(200);
            assertThat(passedOn(harness, b.httpPort(), forA, NUMBER + "/" + Shards.of(onA, 2))).isEqualTo(503);
            assertThat(passedOn(harness, b.httpPort(), forA, "shard 1")).as("an unreadable list").isEqualTo(400);

            // Killed, node B keeps its lease a while: no node runs its shard, so its part is not taken anywhere.
            assertThat(b.kill9()).isEqualTo(137);
            meta.webhookUrl(urlA);
            byte[] afterKill = meta.incoming("wamid.AFTER_KILL", onB, "Asha", "after the kill");
            assertThat(meta.send(afterKill)).as("node B's shard has no live node").isEqualTo(503);
            await().atMost(WAIT).until(() -> meta.send(afterKill) == 200); // Meta's retries, until node A runs it
            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() == 3);
            assertThat(harness.receiver.textsByUser("/webhook")).as("node A's part of a call passed on was not taken")
                    .isEqualTo(Map.of(onB, List.of("via node A", "via node B", "after the kill")));
        }
    }

    /** Node B, in a process of its own on the same store and network, with a lease long enough to outlive it. */
    private NodeProcess nodeB(Harness harness) throws Exception {
        TestStores.TestStore store = harness.store();
        Map<String, String> environment = new HashMap<>(Map.of("SWITCHBOARD_ADMIN_TOKEN", harness.adminToken,
                "SWITCHBOARD_MASTER_KEY", masterKey, "SWITCHBOARD_DB_URL", store.url(), "SWITCHBOARD_DB_USER", store.user(),
                "SWITCHBOARD_CLUSTER_NODE_ID", NODE_B, "SWITCHBOARD_CLUSTER_HEARTBEAT_MS", Integer.toString(HEARTBEAT_MS),
                "SWITCHBOARD_CLUSTER_LEASE_MS", Integer.toString(LEASE_B_MS),
                "SWITCHBOARD_ALLOW_PRIVATE_URLS", "true")); // the project's Webhook is on loopback
        return new NodeProcess(tempDir.resolve("node-b.log"), environment, "--cluster",
                "--network", "127.0.0.1:" + harness.network.port(), "--data", tempDir.resolve("data-b").toString());
    }

    /**
     * Posts a signed webhook body to the node as node A passes one on (signed with the store's key), for
     * {@code shards}; answers the status.
     */
    private int passedOn(Harness harness, int port, byte[] body, String shards) throws Exception {
        byte[] key;
        try (java.sql.Connection store = harness.storeConnection()) {
            key = ClusterSignatures.key(store, Vault.ofBase64(masterKey));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl(port)))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Signer.hubSignature(APP_SECRET, body))
                .header("Switchboard-Forwarded", NODE_A)
                .header("Switchboard-Forwarded-Shards", shards)
                .header("Switchboard-Signature", ClusterSignatures.sign(key, "POST", "/upstream/cloud/webhook", NODE_A,
                        null, shards, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static String webhookUrl(int port) {
        return "http://127.0.0.1:" + port + "/upstream/cloud/webhook";
    }

    private static String status(ApiClient api, String token, String id) throws Exception {
        return api.get("/v1/messages/" + id, token).body().path("status").asText();
    }

    /** A user whose shard the node runs. */
    private static String userOn(Map<Integer, String> owners, String node) {
        return users(0, 20).stream().filter(user -> node.equals(owners.get(Shards.of(user, 2)))).findFirst().orElseThrow();
    }
}

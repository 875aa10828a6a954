package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.QUIET_USERS;
import static io.switchboard.app.messages.Messaging.firstId;
import static io.switchboard.app.messages.Messaging.text;
import static io.switchboard.app.messages.Messaging.withSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.config.ConfigLoader;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Receiver;
import io.switchboard.network.Shards;
import io.switchboard.network.sim.SimNetwork;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Direction;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Numbers;
import io.switchboard.store.Priority;
import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.ids.NodeIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes sharing one PostgreSQL or MariaDB store, each running one of the number's two shards: a message accepted
 * by the node that does not run its shard reaches the owner through the store with its schedule, an idempotency key
 * holds across the nodes, and a cancel or a read mark made through either node is carried out by the shard's owner.
 */
class ClusteredMessagesTest {
    @TempDir Path tempDir;
    private final String adminToken = Tokens.newToken("sba_");
    private final String masterKey = Base64.getEncoder().encodeToString(new byte[32]);

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void schedulesIdempotencyAndCancelsWorkAcrossTwoNodes(TestStores.Kind kind) throws Exception {
        try (TwoNodes nodes = twoNodes(kind); Receiver receiver = new Receiver()) {
            SimNetwork network = nodes.network();
            Node a = nodes.a();
            Node b = nodes.b();
            ApiClient apiA = api(a);
            ApiClient apiB = api(b);
            String token = apiA.expect(201, "/v1/projects", adminToken, Map.of("name", "Clustered",
                    "webhook_url", receiver.url("/webhook"))).path("token").asText();
            apiA.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(owners(apiA).values()).containsExactlyInAnyOrder("node-a", "node-b"));
            Map<Integer, String> owners = owners(apiA);
            // A user whose shard node B runs, written to through node A: it goes by the store.
            String user = userOn(owners.entrySet().stream().filter(e -> e.getValue().equals("node-b"))
                    .findFirst().orElseThrow().getKey());

            long scheduleAt = System.currentTimeMillis() + 3_000;
            String scheduled = firstId(apiA.expect(202, "/v1/messages", token, withSchedule(text(user, "later"), scheduleAt)));
            Messaging.arrivesNotBefore(network, user, scheduleAt, scheduled);

            // One key, sent to both nodes at once and again: one message, one answer. Several rounds, as a race
            // between the nodes' commits (and, on MariaDB, their locks) shows only now and then.
            int rounds = 5;
            for (int round = 0; round < rounds; round++) {
                Map<String, Object> receipt = text(user, "receipt " + round);
                String key = "receipt-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<ApiClient.Answer>> answers = List.of(apiA, apiB, apiA, apiB).stream()
                        .map(api -> CompletableFuture.supplyAsync(() -> {
                            try {
                                go.await();
                                return api.post("/v1/messages", token, receipt, Map.of("Idempotency-Key", key));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })).toList();
                go.countDown();
                JsonNode first = answers.getFirst().join().body();
                for (CompletableFuture<ApiClient.Answer> answer : answers) {
                    assertThat(answer.join().status()).as("round %d: %s", round, answer.join().body()).isEqualTo(202);
                    assertThat(answer.join().body()).isEqualTo(first);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> network.received(user).size() == 1 + rounds);
            Thread.sleep(500);
            assertThat(network.received(user)).as("the later message and each receipt, once").hasSize(1 + rounds);

            // A scheduled message is cancelled through the node that does not run its shard: it asks the one that does.
            String waiting = firstId(apiA.expect(202, "/v1/messages", token,
                    withSchedule(text(user, "next hour"), System.currentTimeMillis() + 3_600_000)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(apiA.delete("/v1/messages/" + waiting, token).status()).isEqualTo(200));
            assertThat(apiA.delete("/v1/messages/" + waiting, token).body().path("error").path("code").asText())
                    .as("a second cancel").isEqualTo("not_cancellable");

            // A message the user wrote in on node B's shard is marked read through node A's Cloud API endpoint.
            await().atMost(Duration.ofSeconds(10)).until(() -> network.inject(NUMBER, user, "hello"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.calls("/webhook").isEmpty());
            String incoming = receiver.calls("/webhook").getFirst().body().path("id").asText();
            String networkId = apiA.get("/v1/messages/" + incoming, token).body().path("network_id").asText();
            ApiClient.Answer read = apiA.post("/v23.0/" + NUMBER.substring(1) + "/messages", token,
                    Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + incoming));
            assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> network.markedRead(networkId));
            assertThat(apiA.get("/v1/messages/" + waiting, token).body().path("status").asText()).isEqualTo("cancelled");
        }
    }

    /**
     * A project's webhook URL and signing secret changed through node A are used by node B, which runs the shard the
     * user writes on, from its next round (before, B called the old URL with the old secret until it restarted).
     */
    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aProjectChangedThroughOneNodeIsUsedByTheOthers(TestStores.Kind kind) throws Exception {
        try (TwoNodes nodes = twoNodes(kind); Receiver receiver = new Receiver()) {
            ApiClient apiA = api(nodes.a());
            JsonNode project = apiA.expect(201, "/v1/projects", adminToken, Map.of("name", "Moving",
                    "webhook_url", receiver.url("/old")));
            String token = project.path("token").asText();
            apiA.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(owners(apiA).values()).containsExactlyInAnyOrder("node-a", "node-b"));
            String user = userOn(owners(apiA).entrySet().stream().filter(e -> e.getValue().equals("node-b"))
                    .findFirst().orElseThrow().getKey());
            // Node B delivers a first message, so it holds the project's settings and signer.
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.network().inject(NUMBER, user, "before"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls("/old").size() == 1);

            assertThat(apiA.patch("/v1/project", token, Map.of("webhook_url", receiver.url("/new"))).status()).isEqualTo(200);
            String secret = apiA.expect(200, "/v1/project/webhook-secret/rotate", token, Map.of("keep_previous_s", 0))
                    .path("secret").asText();
            String projectId = project.path("id").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.b().engine().project(projectId)
                    .map(seen -> seen.webhookUrl().equals(receiver.url("/new"))).orElse(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.network().inject(NUMBER, user, "after"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls("/new").size() == 1);
            Receiver.Call call = receiver.calls("/new").getFirst();
            assertThat(call.body().path("text").path("body").asText()).isEqualTo("after");
            new com.standardwebhooks.Webhook(secret).verify(new String(call.raw(), java.nio.charset.StandardCharsets.UTF_8),
                    call.headers());
            assertThat(receiver.calls("/old")).hasSize(1);
        }
    }

    /**
     * A node that has not yet seen a re-shard stores messages for the old shards: one for a shard that no longer
     * exists (the count went down) and one for a shard that now carries other users. Each is re-routed to its
     * recipient's shard and reaches its user, and the store keeps the right shard for a later takeover.
     */
    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void messagesStoredForTheOldShardsOfAReShardReachTheirUsers(TestStores.Kind kind) throws Exception {
        try (TwoNodes nodes = twoNodes(kind);
             Database database = Database.open(nodes.store().url(), nodes.store().user(), nodes.store().password());
             NodeIds staleIds = NodeIds.start(database);
             WriteBatcher staleNode = new WriteBatcher(database, 100)) {
            SimNetwork network = nodes.network();
            Node a = nodes.a();
            ApiClient apiA = api(a);
            String token = apiA.expect(201, "/v1/projects", adminToken, Map.of("name", "Stale")).path("token").asText();
            apiA.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(owners(apiA).values()).containsExactlyInAnyOrder("node-a", "node-b"));
            String projectId = apiA.get("/v1/project", token).body().path("id").asText();
            DataKey key = Vault.ofBase64(masterKey).unwrap(NUMBER, new Numbers(database).find(NUMBER).orElseThrow().wrappedDataKey());

            String onShardOne = userOn(1);
            long wrongShard = storeAsAStaleNodeWould(staleNode, staleIds.next(), key, projectId, onShardOne, 0);
            long goneShard = storeAsAStaleNodeWould(staleNode, staleIds.next(), key, projectId, userOn(0), 5);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(network.received(onShardOne)).extracting(UserMessage::messageId).contains(wrongShard);
                assertThat(network.received(userOn(0))).extracting(UserMessage::messageId).contains(goneShard);
            });
            Optional<Integer> storedShard = database.withConnection(c -> Sql.queryOne(c,
                    "SELECT shard FROM messages WHERE id = ?", row -> row.getInt(1), wrongShard));
            assertThat(storedShard).as("the shard the store keeps it for").contains(1);
        }
    }

    /**
     * A shard whose start fails in the store (its handoffs table is away for a moment: a deadlock did it on MariaDB)
     * is handed back and taken again once the store answers, instead of staying leased, renewed every round and
     * served by no one.
     */
    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aShardWhoseStartFailedInTheStoreIsTakenAgain(TestStores.Kind kind) throws Exception {
        try (TwoNodes nodes = twoNodes(kind);
             Database database = Database.open(nodes.store().url(), nodes.store().user(), nodes.store().password())) {
            ApiClient apiA = api(nodes.a());
            String token = apiA.expect(201, "/v1/projects", adminToken, Map.of("name", "Restart")).path("token").asText();
            apiA.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> owners(apiA).get(0) != null);
            boolean aOwns = owners(apiA).get(0).equals("node-a");
            Node owner = aOwns ? nodes.a() : nodes.b();
            Node other = aOwns ? nodes.b() : nodes.a();

            rename(database, "handoffs", "handoffs_away");
            owner.close(); // frees its lease: the other node takes it and fails to start the shard
            // Taken at epoch 2, and failed: handed back and taken again (each take is an epoch), not kept.
            await().atMost(Duration.ofSeconds(10)).until(() -> database.withConnection(c -> Sql.queryOne(c,
                    "SELECT epoch FROM shard_leases WHERE number = ?", row -> row.getLong(1), NUMBER)).orElse(0L) >= 4);
            rename(database, "handoffs_away", "handoffs");

            String user = userOn(0);
            String sent = firstId(api(other).expect(202, "/v1/messages", token, text(user, "after the store came back")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodes.network().received(user))
                    .extracting(UserMessage::messageId).contains(Ids.parse(sent)));
        }
    }

    private static void rename(Database database, String from, String to) {
        database.withConnection(c -> Sql.update(c, "ALTER TABLE " + from + " RENAME TO " + to));
    }

    /** A group change sent to the node that runs no shard of the number is carried out by the node that does. */
    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void groupChangesThroughANodeWithoutTheNumbersShardGoToItsOwner(TestStores.Kind kind) throws Exception {
        try (TwoNodes nodes = twoNodes(kind)) {
            SimNetwork network = nodes.network();
            Node a = nodes.a();
            Node b = nodes.b();
            ApiClient apiA = api(a);
            String token = apiA.expect(201, "/v1/projects", adminToken, Map.of("name", "Groups")).path("token").asText();
            apiA.expect(201, "/v1/numbers", token, Map.of("number", NUMBER, "tps", 100, "shards", 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> owners(apiA).get(0) != null);
            ApiClient notOwner = owners(apiA).get(0).equals("node-a") ? api(b) : apiA;
            List<String> users = network.users().subList(0, 3);

            JsonNode group = notOwner.expect(201, "/v1/groups", token, Map.of("from", NUMBER, "subject", "Team",
                    "members", users.subList(0, 2)));
            String id = group.path("id").asText();
            assertThat(network.groupMembers(NUMBER, id)).containsExactlyInAnyOrderElementsOf(users.subList(0, 2));
            notOwner.expect(200, "/v1/groups/" + id + "/members", token, Map.of("members", List.of(users.get(2))));
            assertThat(network.groupMembers(NUMBER, id)).containsExactlyInAnyOrderElementsOf(users);
            assertThat(notOwner.get("/v1/groups/" + id, token).body().path("members")).hasSize(3);
        }
    }

    /** A queued text and its handoff, written for {@code shard} whatever the recipient's shard is now. */
    private static long storeAsAStaleNodeWould(WriteBatcher writer, long id, DataKey key, String projectId, String to,
                                               int shard) {
        MessageRecord message = new MessageRecord(id, projectId, NUMBER, Direction.OUT, to, shard, Priority.NORMAL,
                "text", key.seal(id, "{\"body\":\"from a stale node\"}"), MessageStatus.QUEUED, null, null, false,
                MessageRecord.Times.createdAt(System.currentTimeMillis()));
        writer.submit(List.of(new Write.InsertMessage(message),
                new Write.Handoff(id, NUMBER, shard, Priority.NORMAL.rank()))).join();
        return id;
    }

    /** Two nodes sharing a fresh PostgreSQL or MariaDB store and one simulated network; closed in reverse order. */
    private record TwoNodes(TestStores.TestStore store, SimNetwork network, Node a, Node b) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (store; network; a; b) {
                // closes b, a, the network, then the store
            }
        }
    }

    private TwoNodes twoNodes(TestStores.Kind kind) throws Exception {
        TestStores.TestStore store = TestStores.open(kind, tempDir);
        SimNetwork network = SimNetwork.start(QUIET_USERS.withPort(0).withStatsPort(0));
        return new TwoNodes(store, network, start(store, network, "node-a"), start(store, network, "node-b"));
    }

    private Node start(TestStores.TestStore store, SimNetwork network, String id) {
        Map<String, Object> settings = new HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", 0,
                "network", "127.0.0.1:" + network.port(), "data", tempDir.resolve(id), "admin-token", adminToken,
                "master-key", masterKey, "db.url", store.url(), "db.user", store.user(), "cluster.enabled", true,
                "cluster.node-id", id));
        settings.put("allow-private-urls", true); // the receiver runs on loopback
        settings.put("cluster.heartbeat-ms", 200);
        settings.put("cluster.lease-ms", 1_000);
        ConfigLoader config = new ConfigLoader();
        settings.forEach(config::set);
        return Node.start(config.load(), new PrintStream(OutputStream.nullOutputStream()));
    }

    private static ApiClient api(Node node) {
        return new ApiClient("http://127.0.0.1:" + node.httpPort());
    }

    /** The owner of each of the number's shards, as the cluster reports it (null while none holds it). */
    private Map<Integer, String> owners(ApiClient api) throws Exception {
        Map<Integer, String> owners = new HashMap<>();
        for (JsonNode shard : api.get("/v1/cluster", adminToken).body().path("shards")) {
            if (shard.path("number").asText().equals(NUMBER)) {
                owners.put(shard.path("shard").asInt(), shard.path("owner").isNull() ? null : shard.path("owner").asText());
            }
        }
        return owners;
    }

    private static String userOn(int shard) {
        for (int i = 0; ; i++) {
            String user = "+1555000" + String.format("%04d", 900 + i);
            if (Shards.of(user, 2) == shard) return user;
        }
    }
}

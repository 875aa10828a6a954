package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's contract, run against each real database: the embedded one, PostgreSQL and MariaDB. */
class StoreSuiteTest {
    @TempDir Path tempDir;
    private final Vault vault = Vault.of(new byte[32]);

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    private interface StoreTest {
        void run(Database database, WriteBatcher writer) throws Exception;
    }

    private void withStore(TestStores.Kind kind, StoreTest test) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, tempDir);
             Database database = Database.open(store.url(), store.user(), store.password());
             WriteBatcher writer = new WriteBatcher(database, 500)) {
            test.run(database, writer);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void migrationsRunOnceAndReopeningKeepsData(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, tempDir)) {
            try (Database database = Database.open(store.url(), store.user(), store.password())) {
                new Settings(database).put("marker", "kept");
            }
            try (Database database = Database.open(store.url(), store.user(), store.password())) {
                assertThat(new Settings(database).get("marker")).contains("kept");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aProjectsFirstTokenHasEveryScopeAndOnlyItsHashIsStored(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            String token = Tokens.newToken("sb_");
            new Projects(database).create(Project.of("p1", "Shop", "http://127.0.0.1:1/in", null, true, 1L),
                    Tokens.hash(token), null);
            ApiTokens tokens = new ApiTokens(database);

            ApiTokens.Credential found = tokens.find(Tokens.hash(token)).orElseThrow();
            assertThat(found.project().name()).isEqualTo("Shop");
            assertThat(found.token().scopes()).containsExactly(Scope.SEND, Scope.READ, Scope.ADMIN);
            assertThat(tokens.find(Tokens.hash(token + "x"))).isEmpty();
            List<String> stored = database.withConnection(c -> Sql.query(c,
                    "SELECT token_hash FROM api_tokens UNION ALL SELECT token_hash FROM projects", r -> r.getString(1)));
            assertThat(stored).doesNotContain(token).containsOnlyOnce(Tokens.hash(token));
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aTokenMadeBeforeTokensHadScopesStillOpensItsProjectWithEveryScope(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, tempDir)) {
            String token = Tokens.newToken("sb_");
            Flyway.configure().dataSource(store.url(), store.user(), store.password()).target("2")
                    .placeholders(io.switchboard.store.db.Dialect.of(store.url()).migrationPlaceholders()).load().migrate();
            try (Connection c = DriverManager.getConnection(store.url(), store.user(), store.password())) {
                Sql.update(c, "INSERT INTO projects (id, name, token_hash, events_enabled, created_at) VALUES (?, ?, ?, 1, 5)",
                        "p-old", "Old shop", Tokens.hash(token));
            }
            try (Database database = Database.open(store.url(), store.user(), store.password())) {
                ApiTokens.Credential found = new ApiTokens(database).find(Tokens.hash(token)).orElseThrow();
                assertThat(found.project().id()).isEqualTo("p-old");
                assertThat(found.token().scopes()).containsExactlyInAnyOrder(Scope.values());
                assertThat(found.token().createdAt()).isEqualTo(5L);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void tokensArePagedInOrderAndRevokedOnlyInTheirProjectButTheLastAdminTokenStays(TestStores.Kind kind)
            throws Exception {
        withStore(kind, (database, writer) -> {
            Projects projects = new Projects(database);
            projects.create(Project.of("p1", "Shop", null, null, true, 1L), Tokens.hash("first-1"), null);
            projects.create(Project.of("p2", "Other", null, null, true, 1L), Tokens.hash("first-2"), null);
            ApiTokens tokens = new ApiTokens(database);
            List<String> made = new ArrayList<>(List.of("p1"));
            for (int i = 0; i < 4; i++) {
                ApiToken token = new ApiToken(Ids.format(ProcessIds.next()), "p1", "reader " + i, java.util.Set.of(Scope.READ), 2L, null);
                assertThat(tokens.create(token, Tokens.hash("reader-" + i))).isTrue();
                made.add(token.id());
            }
            List<String> walked = new ArrayList<>();
            String after = null;
            for (List<ApiToken> page; !(page = tokens.page("p1", after, 2)).isEmpty(); after = page.getLast().id()) {
                page.forEach(t -> walked.add(t.id()));
            }
            assertThat(walked).containsExactlyInAnyOrderElementsOf(made).isSorted();

            assertThat(tokens.revoke("p2", made.get(1))).isEqualTo(ApiTokens.Revocation.NOT_FOUND);
            assertThat(tokens.find(Tokens.hash("reader-0"))).isPresent();
            assertThat(tokens.revoke("p1", made.get(1))).isEqualTo(ApiTokens.Revocation.REVOKED);
            assertThat(tokens.find(Tokens.hash("reader-0"))).isEmpty();
            assertThat(tokens.revoke("p1", made.get(1))).isEqualTo(ApiTokens.Revocation.NOT_FOUND);
            assertThat(tokens.revoke("p1", "p1")).isEqualTo(ApiTokens.Revocation.LAST_ADMIN);
            assertThat(tokens.find(Tokens.hash("first-1"))).isPresent();

            tokens.touch(made.get(2), 1_000L);
            tokens.touch(made.get(2), 900L);
            assertThat(tokens.page("p1", made.get(1), 1).getFirst().lastUsedAt()).isEqualTo(1_000L);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aProjectHoldsAtMostTheLimitOfTokens(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            new Projects(database).create(Project.of("p1", "Shop", null, null, true, 1L), Tokens.hash("first"), null);
            ApiTokens tokens = new ApiTokens(database);
            for (int i = 1; i < ApiTokens.MAX_PER_PROJECT; i++) {
                assertThat(tokens.create(new ApiToken("t" + i, "p1", "t", java.util.Set.of(Scope.SEND), 1L, null),
                        Tokens.hash("t" + i))).isTrue();
            }
            assertThat(tokens.create(new ApiToken("t-over", "p1", "t", java.util.Set.of(Scope.SEND), 1L, null),
                    Tokens.hash("t-over"))).isFalse();
            assertThat(tokens.find(Tokens.hash("t-over"))).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void usageCountsEachAppliedChangeOnItsUtcDayInTheSameCommitSummedOverWriters(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            long day1 = java.time.LocalDate.of(2026, 3, 1).toEpochDay() * 86_400_000L;
            long day2 = day1 + 86_400_000L;
            MessageRecord first = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{}");
            MessageRecord second = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{}");
            writer.submit(List.of(new Write.InsertMessage(first), new Write.InsertMessage(second))).join();
            writer.submit(List.of(change(first, MessageStatus.SENT, day1 + 10, "w1"),
                    change(second, MessageStatus.SENT, day2 - 1, "w2"))).join();
            writer.submit(change(first, MessageStatus.DELIVERED, day2 + 5, null)).join();
            writer.submit(change(first, MessageStatus.READ, day2 + 6, null)).join();
            writer.submit(change(first, MessageStatus.READ, day2 + 7, null)).join();      // a repeat: not counted
            try (WriteBatcher otherNode = new WriteBatcher(database, 500)) { // its own slot, most likely: summed
                otherNode.submit(change(second, MessageStatus.READ, day2 + 8, null)).join();
            }
            writer.submit(change(second, MessageStatus.DELIVERED, day2 + 9, null)).join(); // late: not counted
            writer.submit(new Write.InsertMessage(incoming(key, "net-1", day2 + 1))).join();
            writer.submit(new Write.InsertMessage(incoming(key, "net-1", day2 + 1))).join(); // redelivered: not counted

            List<Usage.Day> days = new Usage(database).days("+919800000001",
                    java.time.LocalDate.of(2026, 2, 1), java.time.LocalDate.of(2026, 3, 31));
            assertThat(days).extracting(Usage.Day::date)
                    .containsExactly(java.time.LocalDate.of(2026, 3, 1), java.time.LocalDate.of(2026, 3, 2));
            assertThat(days.get(0).counts()).containsExactly(2, 0, 0, 0);
            assertThat(days.get(1).counts()).containsExactly(0, 1, 1, 2);
            assertThat(new Usage(database).days("+919800000002", java.time.LocalDate.of(2026, 3, 1),
                    java.time.LocalDate.of(2026, 3, 2))).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNumberCanBelongToOneProjectOnly(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            Numbers numbers = new Numbers(database);
            byte[] key = vault.newWrappedDataKey("+919800000001");
            assertThat(numbers.create(new BusinessNumber("+919800000001", "p1", 20, 1, true, key, 1L))).isPresent();
            assertThat(numbers.create(new BusinessNumber("+919800000001", "p2", 20, 1, true, key, 1L))).isEmpty();
            assertThat(numbers.find("+919800000001")).map(BusinessNumber::projectId).contains("p1");
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNumbersTpsAndDeliveryReportsAreSavedOnlyInItsOwnProject(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            Numbers numbers = new Numbers(database);
            byte[] key = vault.newWrappedDataKey("+919800000001");
            numbers.create(new BusinessNumber("+919800000001", "p1", 20, 2, true, key, 1L));

            assertThat(numbers.update(new BusinessNumber("+919800000001", "p1", 55, 2, false, key, 1L))).isTrue();
            assertThat(numbers.update(new BusinessNumber("+919800000001", "p2", 99, 2, true, key, 1L))).isFalse();
            assertThat(numbers.update(new BusinessNumber("+919800000009", "p1", 99, 2, true, key, 1L))).isFalse();

            BusinessNumber stored = numbers.find("+919800000001").orElseThrow();
            assertThat(stored.tps()).isEqualTo(55);
            assertThat(stored.deliveryReports()).isFalse();
            assertThat(stored.projectId()).isEqualTo("p1");
            assertThat(stored.shards()).isEqualTo(2);
            assertThat(stored.wrappedDataKey()).isEqualTo(key);
            assertThat(numbers.find("+919800000009")).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNodeThatHasNotSeenAReShardTakesNoHandoffs(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            Numbers numbers = new Numbers(database);
            byte[] wrapped = vault.newWrappedDataKey("+919800000001");
            numbers.create(new BusinessNumber("+919800000001", "p1", 20, 4, true, wrapped, 1L));
            numbers.reshard("+919800000001", 8, user -> 5, c -> null);
            DataKey key = vault.unwrap("+919800000001", wrapped);
            // Stored by a node still on 4 shards, for its shard 0.
            MessageRecord message = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{\"body\":\"late\"}");
            writer.submit(List.of(new Write.InsertMessage(message),
                    new Write.Handoff(message.id(), "+919800000001", 0, Priority.NORMAL.rank()))).join();

            Messages messages = new Messages(database);
            assertThat(messages.handoffs("+919800000001", List.of(0), 4, 10)).as("a taker still on 4 shards").isEmpty();
            assertThat(messages.handoffs("+919800000001", List.of(0), 8, 10)).extracting(Messages.QueuedRef::id)
                    .as("the owner of shard 0 of 8, which re-routes it").containsExactly(message.id());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void bodiesAreEncryptedAtRestAndOpenWithTheNumbersKey(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            MessageRecord message = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{\"body\":\"secret offer 42\"}");
            writer.submit(new Write.InsertMessage(message)).join();

            MessageRecord stored = new Messages(database).find("p1", message.id()).orElseThrow();
            assertThat(key.open(stored.id(), stored.sealedBody())).isEqualTo("{\"body\":\"secret offer 42\"}");
            assertThat(new String(stored.sealedBody(), StandardCharsets.ISO_8859_1)).doesNotContain("secret offer");
            assertThat(new Messages(database).find("another-project", message.id())).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aCallbackValueIsSealedAtRestBoundToItsMessageAndReadBackOnlyForMessagesThatHaveOne(TestStores.Kind kind)
            throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            MessageRecord plain = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{\"body\":\"hi\"}");
            long id = ProcessIds.next();
            String value = "crm-lead-981 \u2713 " + "x".repeat(497); // 512 characters, more bytes
            MessageRecord tagged = new MessageRecord(id, "p1", plain.number(), Direction.OUT, plain.peer(), 0,
                    Priority.NORMAL, "text", key.seal(id, "{\"body\":\"hi\"}"), MessageStatus.QUEUED, null, null, false,
                    MessageRecord.Times.createdAt(1L), SendOptions.NONE, key.sealCallback(id, value));
            writer.submit(List.of(new Write.InsertMessage(plain), new Write.InsertMessage(tagged))).join();

            Messages messages = new Messages(database);
            MessageRecord stored = messages.find("p1", id).orElseThrow();
            assertThat(key.openCallback(id, stored.sealedCallback())).isEqualTo(value);
            assertThat(new String(stored.sealedCallback(), StandardCharsets.ISO_8859_1)).doesNotContain("crm-lead");
            assertThat(messages.find("p1", plain.id()).orElseThrow().sealedCallback()).isNull();
            List<Messages.SentRow> read = messages.sent(List.of(plain.id(), id, ProcessIds.next()));
            assertThat(read).hasSize(2).anySatisfy(c -> assertThat(c.sealedCallback()).isNull())
                    .anySatisfy(c -> {
                        assertThat(c.messageId()).isEqualTo(id);
                        assertThat(c.number()).isEqualTo("+919800000001");
                        assertThat(c.type()).isEqualTo("text");
                        assertThat(key.openCallback(id, c.sealedCallback())).isEqualTo(value);
                    });
            // Bound to its message and kind: neither another message's callback nor a body opens as it.
            assertThatThrownBy(() -> key.openCallback(plain.id(), stored.sealedCallback()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> key.openCallback(id, stored.sealedBody())).isInstanceOf(IllegalStateException.class);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void statusesNeverGoBackwardsAndOnlyAppliedChangesMakeEvents(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            MessageRecord message = outgoing(key, ProcessIds.next(), Priority.NORMAL, "{\"body\":\"hi\"}");
            writer.submit(new Write.InsertMessage(message)).join();

            int[] sent = writer.submit(change(message, MessageStatus.SENT, 10, "wamid.1")).join();
            int[] read = writer.submit(change(message, MessageStatus.READ, 30, null)).join();
            int[] lateDelivered = writer.submit(change(message, MessageStatus.DELIVERED, 20, null)).join();

            assertThat(new int[] {sent[0], read[0], lateDelivered[0]}).containsExactly(1, 1, 0);
            MessageRecord stored = new Messages(database).find("p1", message.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(MessageStatus.READ);
            assertThat(stored.networkId()).isEqualTo("wamid.1");
            assertThat(stored.times().sent()).isEqualTo(10L);
            assertThat(stored.times().read()).isEqualTo(30L);
            assertThat(stored.times().delivered()).isNull();
            assertThat(new Messages(database).owedEvents(SHARD, 0, 10)).extracting(owed -> owed.event().status())
                    .containsExactly(MessageStatus.SENT, MessageStatus.READ);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anIncomingMessageRedeliveredByTheNetworkIsStoredOnce(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            int[] first = writer.submit(new Write.InsertMessage(incoming(key, "net-1"))).join();
            int[] again = writer.submit(List.of(new Write.InsertMessage(incoming(key, "net-1")),
                    new Write.InsertMessage(outgoing(key, ProcessIds.next(), Priority.NORMAL, "{}")))).join();
            assertThat(first).containsExactly(1);
            assertThat(again).as("skipped, and its commit stands").containsExactly(0, 1);
            List<Messages.OwedHook> pending = new Messages(database).owedHooks(SHARD, 0, 10);
            assertThat(pending).hasSize(1);

            writer.submit(new Write.HookDone(pending.getFirst().message().id())).join();
            assertThat(new Messages(database).owedHooks(SHARD, 0, 10)).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anOutgoingMessageWhoseIdIsStoredAlreadyFailsItsCommitAndClaimsNoKey(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            long id = ProcessIds.next();
            writer.submit(new Write.InsertMessage(outgoing(key, id, Priority.NORMAL, "{\"body\":\"first\"}"))).join();
            Write clash = new Write.InsertMessage(outgoing(key, id, Priority.URGENT, "{\"body\":\"second\"}"));
            Write beside = new Write.InsertMessage(outgoing(key, ProcessIds.next(), Priority.NORMAL, "{}"));

            assertThatThrownBy(() -> writer.submit(List.of(beside, clash)).join())
                    .hasCauseInstanceOf(io.switchboard.store.db.StoreException.class);
            IdempotencyKey once = new IdempotencyKey("p1", "k1", "hash", 202, new byte[] {1}, 5L);
            assertThatThrownBy(() -> writer.submit(new Write.InsertOnce(once, 0, List.of(clash))).join())
                    .hasCauseInstanceOf(io.switchboard.store.db.StoreException.class);

            Messages messages = new Messages(database);
            assertThat(messages.count("p1")).as("nothing of the failed commits").isEqualTo(1);
            assertThat(messages.find("p1", id).orElseThrow().priority()).isEqualTo(Priority.NORMAL);
            assertThat(writer.submit(new Write.InsertOnce(once, 0, List.of(beside))).join())
                    .as("the key was not claimed").containsExactly(1);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void queuedMessagesComeBackInPriorityThenArrivalOrder(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            List<Write> writes = new ArrayList<>();
            List<Long> expected = new ArrayList<>();
            long low = ProcessIds.next(), normal1 = ProcessIds.next(), urgent = ProcessIds.next(), normal2 = ProcessIds.next();
            writes.add(new Write.InsertMessage(outgoing(key, low, Priority.LOW, "{}")));
            writes.add(new Write.InsertMessage(outgoing(key, normal1, Priority.NORMAL, "{}")));
            writes.add(new Write.InsertMessage(outgoing(key, urgent, Priority.URGENT, "{}")));
            writes.add(new Write.InsertMessage(outgoing(key, normal2, Priority.NORMAL, "{}")));
            writer.submit(writes).join();
            expected.addAll(List.of(urgent, normal1, normal2, low));
            List<Long> queued = new ArrayList<>();
            new Messages(database).forEachQueued("+919800000001", ref -> queued.add(ref.id()));
            assertThat(queued).containsExactlyElementsOf(expected);
            assertThat(new Messages(database).byIds(List.of(low, urgent))).extracting(MessageRecord::priority)
                    .containsExactlyInAnyOrder(Priority.LOW, Priority.URGENT);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void concurrentWritersAllCommitThroughOneGroupCommit(TestStores.Kind kind) throws Exception {
        withStore(kind, (database, writer) -> {
            DataKey key = vault.unwrap("+919800000001", vault.newWrappedDataKey("+919800000001"));
            List<CompletableFuture<int[]>> futures = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                futures.add(writer.submit(new Write.InsertMessage(outgoing(key, ProcessIds.next(), Priority.NORMAL, "{}"))));
            }
            futures.forEach(CompletableFuture::join);
            assertThat(new Messages(database).count("p1")).isEqualTo(2_000);
        });
    }

    private static Write change(MessageRecord m, MessageStatus status, long at, String networkId) {
        return new Write.ChangeStatus(m.id(), m.number(), status, at, networkId, null,
                new EventRecord(ProcessIds.next(), "p1", m.id(), m.number(), m.peer(), status, null, at));
    }

    /** The one shard of the number the messages here are made for. */
    private static final Messages.OwedSource SHARD = new Messages.OwedSource("+919800000001", 0, 0);

    private static MessageRecord outgoing(DataKey key, long id, Priority priority, String body) {
        return new MessageRecord(id, "p1", "+919800000001", Direction.OUT, "+15550000001", 0, priority, "text",
                key.seal(id, body), MessageStatus.QUEUED, null, null, false, MessageRecord.Times.createdAt(1L));
    }

    private static MessageRecord incoming(DataKey key, String networkId) {
        return incoming(key, networkId, 1L);
    }

    private static MessageRecord incoming(DataKey key, String networkId, long at) {
        long id = ProcessIds.next();
        return new MessageRecord(id, "p1", "+919800000001", Direction.IN, "+15550000001", 0, Priority.NORMAL, "text",
                key.seal(id, "{\"body\":\"hello\"}"), MessageStatus.QUEUED, networkId, null, true,
                MessageRecord.Times.createdAt(at));
    }
}

package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Idempotency keys, the send options of a message, and the final statuses expired and cancelled, on each real
 * database.
 */
class SendOnceAndFinalStatusesTest {
    private static final String NUMBER = "+919800000001";
    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aKeyStoresTheMessagesOfItsFirstSendOnlyEvenInOneCommit(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            Messages messages = store.messages();
            WriteBatcher writer = store.writer();
            MessageRecord first = queued(SendOptions.NONE);
            MessageRecord second = queued(SendOptions.NONE);
            MessageRecord third = queued(SendOptions.NONE);
            // Two claims submitted together (most often one group commit), and a third in a later one.
            CompletableFuture<int[]> a = writer.submit(once("key-1", 1_000, first));
            CompletableFuture<int[]> b = writer.submit(once("key-1", 1_000, second));
            assertThat(a.join()[0] + b.join()[0]).isEqualTo(1);
            assertThat(writer.submit(once("key-1", 1_000, third)).join()[0]).isZero();

            assertThat(messages.count("p1")).isEqualTo(1);
            IdempotencyKey stored = messages.idempotencyKey("p1", "key-1", 0).orElseThrow();
            assertThat(new String(stored.answer(), StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\"key-1\"}");
            assertThat(stored.status()).isEqualTo(202);
            assertThat(messages.idempotencyKey("p2", "key-1", 0)).as("keys are per project").isEmpty();
            assertThat(messages.idempotencyKey("p1", "key-1", 1_000)).as("forgotten after its time").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aForgottenKeyCanBeUsedAgain(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            Messages messages = store.messages();
            WriteBatcher writer = store.writer();
            assertThat(writer.submit(once("k", 1_000, queued(SendOptions.NONE))).join()[0]).isEqualTo(1);
            // Made at 1,000: a claim that forgets keys made before 2,000 takes it afresh.
            Write.InsertOnce again = new Write.InsertOnce(key("k", 5_000), 2_000,
                    List.of(new Write.InsertMessage(queued(SendOptions.NONE))));
            assertThat(writer.submit(again).join()[0]).isEqualTo(1);
            assertThat(messages.count("p1")).isEqualTo(2);
            assertThat(messages.idempotencyKey("p1", "k", 0).orElseThrow().createdAt()).isEqualTo(5_000);

            assertThat(writer.submit(new Write.ForgetKeys(6_000)).join()[0]).isEqualTo(1);
            assertThat(messages.idempotencyKey("p1", "k", 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sendOptionsAndFinalTimesAreKept(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            Messages messages = store.messages();
            WriteBatcher writer = store.writer();
            MessageRecord scheduled = queued(new SendOptions("wamid.HBgL123", 5_000, 9_000));
            writer.submit(new Write.InsertMessage(scheduled)).join();
            MessageRecord read = messages.find("p1", scheduled.id()).orElseThrow();
            assertThat(read.options()).isEqualTo(new SendOptions("wamid.HBgL123", 5_000, 9_000));
            List<Messages.QueuedRef> refs = new java.util.ArrayList<>();
            messages.forEachQueued(NUMBER, refs::add);
            assertThat(refs).containsExactly(new Messages.QueuedRef(scheduled.id(), 0, Priority.NORMAL, "+15550000001",
                    5_000, 9_000));

            assertThat(change(writer, scheduled, MessageStatus.EXPIRED, 9_000)).isEqualTo(1);
            MessageRecord expired = messages.find("p1", scheduled.id()).orElseThrow();
            assertThat(expired.status()).isEqualTo(MessageStatus.EXPIRED);
            assertThat(expired.times().expired()).isEqualTo(9_000L);
            assertThat(change(writer, scheduled, MessageStatus.CANCELLED, 9_500)).as("final: no cancel after").isZero();
            assertThat(change(writer, scheduled, MessageStatus.SENT, 9_600)).as("final: no late sent").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void expiryAndCancellationApplyOnlyToQueuedMessages(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            Messages messages = store.messages();
            WriteBatcher writer = store.writer();
            MessageRecord sent = queued(SendOptions.NONE);
            writer.submit(new Write.InsertMessage(sent)).join();
            assertThat(change(writer, sent, MessageStatus.SENT, 2_000)).isEqualTo(1);
            assertThat(change(writer, sent, MessageStatus.CANCELLED, 2_100)).isZero();
            assertThat(change(writer, sent, MessageStatus.EXPIRED, 2_200)).isZero();

            MessageRecord failed = queued(SendOptions.NONE);
            writer.submit(new Write.InsertMessage(failed)).join();
            assertThat(change(writer, failed, MessageStatus.FAILED, 2_000)).isEqualTo(1);
            assertThat(change(writer, failed, MessageStatus.EXPIRED, 2_100)).isZero();

            MessageRecord cancelled = queued(SendOptions.NONE);
            writer.submit(new Write.InsertMessage(cancelled)).join();
            assertThat(change(writer, cancelled, MessageStatus.CANCELLED, 3_000)).isEqualTo(1);
            MessageRecord read = messages.find("p1", cancelled.id()).orElseThrow();
            assertThat(read.status()).isEqualTo(MessageStatus.CANCELLED);
            assertThat(read.times().cancelled()).isEqualTo(3_000L);
            assertThat(messages.find("p1", sent.id()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        }
    }

    private static int change(WriteBatcher writer, MessageRecord m, MessageStatus status, long at) {
        return writer.submit(new Write.ChangeStatus(m.id(), m.number(), status, at, null, null, null)).join()[0];
    }

    private static Write.InsertOnce once(String key, long at, MessageRecord message) {
        return new Write.InsertOnce(key(key, at), 0, List.of(new Write.InsertMessage(message)));
    }

    private static IdempotencyKey key(String key, long at) {
        return new IdempotencyKey("p1", key, "hash", 202, ("{\"answer\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8), at);
    }

    private static MessageRecord queued(SendOptions options) {
        long id = ProcessIds.next();
        return new MessageRecord(id, "p1", NUMBER, Direction.OUT, "+15550000001", 0, Priority.NORMAL, "text",
                new byte[] {1, 2, 3}, MessageStatus.QUEUED, null, null, false, MessageRecord.Times.createdAt(1L), options);
    }
}

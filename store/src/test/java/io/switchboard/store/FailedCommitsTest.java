package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.db.StoreException;
import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.WriteBatcher;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A commit the database refuses is counted (the figure behind {@code switchboard_store_write_errors_total} and its
 * alert), once per failed commit, and the writer goes on taking writes after it.
 */
class FailedCommitsTest {
    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aRefusedCommitIsCountedAndTheWriterGoesOn(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            WriteBatcher writer = store.writer();
            MessageRecord message = queued();
            writer.submit(new Write.InsertMessage(message)).join();
            assertThat(writer.failedCommits()).isZero();

            // An outgoing message whose id is stored already fails its commit (a plain insert).
            assertThatThrownBy(() -> writer.submit(new Write.InsertMessage(message)).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreException.class);
            assertThat(writer.failedCommits()).isEqualTo(1);

            writer.submit(new Write.InsertMessage(queued())).join();
            assertThat(writer.failedCommits()).as("a good commit adds nothing").isEqualTo(1);
            assertThat(store.messages().count("p1")).isEqualTo(2);
        }
    }

    private static MessageRecord queued() {
        return new MessageRecord(ProcessIds.next(), "p1", "+919800000001", Direction.OUT, "+15550000001", 0,
                Priority.NORMAL, "text", new byte[] {1, 2, 3}, MessageStatus.QUEUED, null, null, false,
                MessageRecord.Times.createdAt(1L), SendOptions.NONE);
    }
}

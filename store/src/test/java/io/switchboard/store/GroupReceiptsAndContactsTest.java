package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.ids.ProcessIds;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.Write;
import io.switchboard.store.write.Write.MemberStatus;
import io.switchboard.store.write.WriteBatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The group commit's two upserts, on each real database: a member's report moves that member forward once (a
 * repeated or late report makes no second event), and moves the group message with its first member; a contact is
 * kept at its latest sighting, whatever order sightings are stored in.
 */
class GroupReceiptsAndContactsTest {
    private static final String NUMBER = "+919800000001";
    private static final String GROUP = "12036300000001@g.us";
    private static final String ANN = "+15550000001", BOB = "+15550000002";
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void eachMembersReportCountsOnceAndTheMessageMovesWithItsFirstMember(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            WriteBatcher writer = store.writer();
            MessageRecord message = new MessageRecord(ProcessIds.next(), "p1", NUMBER, Direction.OUT, GROUP, 0, Priority.NORMAL,
                    "text", new byte[] {1}, MessageStatus.SENT, null, null, false, MessageRecord.Times.createdAt(1L));
            writer.submit(new Write.InsertMessage(message)).join();

            // Ann's delivered and read in one commit, Bob's delivered: all move, the message to read with Ann.
            CompletableFuture<int[]> first = writer.submit(List.of(report(message, ANN, MessageStatus.DELIVERED, 10),
                    report(message, ANN, MessageStatus.READ, 20), report(message, BOB, MessageStatus.DELIVERED, 30)));
            int[] moved = first.join();
            assertThat(moved).containsExactly(MemberStatus.MEMBER_MOVED | MemberStatus.MESSAGE_MOVED,
                    MemberStatus.MEMBER_MOVED | MemberStatus.MESSAGE_MOVED, MemberStatus.MEMBER_MOVED);
            // Handed over again after a reconnect, and a late delivered after read: nothing moves, no event.
            int[] again = writer.submit(List.of(report(message, ANN, MessageStatus.READ, 21),
                    report(message, BOB, MessageStatus.DELIVERED, 31), report(message, ANN, MessageStatus.DELIVERED, 22)))
                    .join();
            assertThat(again).containsExactly(0, 0, 0);
            assertThat(writer.submit(report(message, BOB, MessageStatus.READ, 40)).join()).as("Bob reads: only Bob moves")
                    .containsExactly(MemberStatus.MEMBER_MOVED);

            Messages messages = store.messages();
            assertThat(messages.owedEvents(new Messages.OwedSource(NUMBER, 0, 0), 0, 10)).extracting(
                    owed -> owed.event().recipient(), owed -> owed.event().status()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(ANN, MessageStatus.DELIVERED),
                    org.assertj.core.groups.Tuple.tuple(ANN, MessageStatus.READ),
                    org.assertj.core.groups.Tuple.tuple(BOB, MessageStatus.DELIVERED),
                    org.assertj.core.groups.Tuple.tuple(BOB, MessageStatus.READ));
            MessageRecord stored = messages.find("p1", message.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(MessageStatus.READ);
            assertThat(stored.times().delivered()).isEqualTo(10L);
            assertThat(stored.times().read()).isEqualTo(20L);
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aContactKeepsItsLatestSightingWhateverOrderTheyAreStoredIn(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            WriteBatcher writer = store.writer();
            writer.submit(List.of(seen(ANN, "Ann", 100), seen(ANN, "Ann B.", 200), seen(BOB, "Bob", 150))).join();
            writer.submit(seen(ANN, "Old Ann", 50)).join(); // an older message stored late
            Contacts contacts = new Contacts(store.database());
            assertThat(contacts.page("p1", NUMBER, null, 10)).extracting(Contact::user, c -> name(c), Contact::lastSeen)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ANN, "Ann B.", 200L),
                            org.assertj.core.groups.Tuple.tuple(BOB, "Bob", 150L));
            assertThat(contacts.page("p1", NUMBER, ANN, 10)).extracting(Contact::user).containsExactly(BOB);
            assertThat(contacts.page("p2", NUMBER, null, 10)).as("another project's").isEmpty();
        }
    }

    private static Write report(MessageRecord message, String member, MessageStatus status, long at) {
        return new MemberStatus(message.id(), NUMBER, member, status, at,
                new EventRecord(ProcessIds.next(), "p1", message.id(), NUMBER, member, status, null, at));
    }

    /** A sighting; the name stands in for its sealed bytes, which the store keeps as given. */
    private static Write seen(String user, String name, long at) {
        return new Write.SeenContact(NUMBER, "p1", user, name.getBytes(StandardCharsets.UTF_8), at);
    }

    private static String name(Contact contact) {
        return new String(contact.sealedName(), StandardCharsets.UTF_8);
    }
}

package io.switchboard.store.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.tsid.Tsid;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import io.switchboard.store.db.StoreException;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Id slots on each real database, with nodes as in production (each its own pool on the one store): live nodes hold
 * different slots, a held slot is never given away, an expired one is taken over with ids that sort after the old
 * holder's, and a node whose slot lapsed makes no ids until it renews. Renewals run when the test says.
 */
class NodeIdsTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(600);
    private static final Duration NEVER = Duration.ofHours(1);
    @TempDir Path temp;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    private interface SlotsTest {
        void run(Database first, Database second) throws Exception;
    }

    /** Two nodes' pools on one fresh store. */
    private void withTwoNodes(TestStores.Kind kind, SlotsTest test) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, temp);
             Database first = Database.open(store.url(), store.user(), store.password());
             Database second = Database.open(store.url(), store.user(), store.password())) {
            test.run(first, second);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void twoNodesHoldDifferentSlotsAndMakeIdsWithTheirOwnNodeBits(TestStores.Kind kind) throws Exception {
        withTwoNodes(kind, (first, second) -> {
            try (NodeIds a = new NodeIds(new IdSlots(first), LONG, NEVER);
                 NodeIds b = new NodeIds(new IdSlots(second), LONG, NEVER)) {
                assertThat(a.slot()).isNotEqualTo(b.slot());
                assertThat(nodeBits(a.next())).isEqualTo(a.slot());
                assertThat(nodeBits(b.next())).isEqualTo(b.slot());
                assertThat(holder(first, a.slot())).isNotNull().isNotEqualTo(holder(first, b.slot()));
            }
            assertThat(held(first)).as("released on close").isZero();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aSlotHeldByALiveNodeIsNeverGivenToAnother(TestStores.Kind kind) throws Exception {
        withTwoNodes(kind, (first, second) -> {
            holdAllBut(first, 7);
            try (NodeIds a = new NodeIds(new IdSlots(first), LONG, NEVER)) {
                assertThat(a.slot()).isEqualTo(7);
                assertThatThrownBy(() -> new NodeIds(new IdSlots(second), LONG, NEVER))
                        .isInstanceOf(StoreException.class).hasMessageContaining("every id slot is held");
                a.renew();
                assertThat(a.slot()).isEqualTo(7);
                a.next();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anExpiredSlotIsTakenOverAndTheNewHoldersIdsSortAfterTheOldOnes(TestStores.Kind kind) throws Exception {
        withTwoNodes(kind, (first, second) -> {
            holdAllBut(first, 7);
            NodeIds frozen = new NodeIds(new IdSlots(first), SHORT, NEVER);
            List<Long> old = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) old.add(frozen.next());
            Thread.sleep(SHORT.toMillis() + 200); // frozen: not renewed in its lifetime

            try (NodeIds taker = new NodeIds(new IdSlots(second), LONG, NEVER)) {
                assertThat(taker.slot()).isEqualTo(7);
                long first1 = taker.next();
                assertThat(old).allSatisfy(id -> assertThat(id).isLessThan(first1));
                assertThatThrownBy(frozen::next).as("the old holder wakes up").isInstanceOf(StoreException.class);
                assertThatThrownBy(frozen::renew).as("its slot is gone and no other is free")
                        .isInstanceOf(StoreException.class);
                assertThatThrownBy(frozen::next).isInstanceOf(StoreException.class);
                frozen.close(); // releases nothing: the slot is not its own
                assertThat(holder(first, 7)).isNotNull();
                taker.next();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNodeWhoseSlotLapsedMakesNoIdsUntilItRenews(TestStores.Kind kind) throws Exception {
        withTwoNodes(kind, (first, second) -> {
            try (NodeIds a = new NodeIds(new IdSlots(first), SHORT, NEVER)) {
                int slot = a.slot();
                long before = a.next();
                Thread.sleep(SHORT.toMillis());
                assertThatThrownBy(a::next).isInstanceOf(StoreException.class).hasMessageContaining("no id slot");
                a.renew(); // nobody took it meanwhile: it is still this node's
                assertThat(a.slot()).isEqualTo(slot);
                assertThat(a.next()).isGreaterThan(before);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aReleasedSlotIsUsedAgainOnlyAfterItsLastIdAndAClockFarBehindFailsLoudly(TestStores.Kind kind)
            throws Exception {
        withTwoNodes(kind, (first, second) -> {
            holdAllBut(first, 7);
            long last;
            try (NodeIds a = new NodeIds(new IdSlots(first), LONG, NEVER)) {
                last = a.next();
            }
            // The previous holder's clock ran 300 ms ahead of this one: its ids may carry times up to then.
            long ahead = System.currentTimeMillis() + 300;
            first.withConnection(c -> Sql.update(c, "UPDATE id_slots SET ids_until = ? WHERE slot = 7", ahead));
            try (NodeIds b = new NodeIds(new IdSlots(second), LONG, NEVER)) {
                long next = b.next();
                assertThat(next).isGreaterThan(last);
                assertThat(Tsid.from(next).getUnixMilliseconds()).isGreaterThan(ahead);
            }

            long farAhead = System.currentTimeMillis() + LONG.toMillis();
            first.withConnection(c -> Sql.update(c, "UPDATE id_slots SET ids_until = ? WHERE slot = 7", farAhead));
            assertThatThrownBy(() -> new NodeIds(new IdSlots(second), LONG, NEVER))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("behind");
            assertThat(holder(first, 7)).as("handed back").isNull();
            assertThat(idsUntil(first, 7)).as("its bound kept").isGreaterThanOrEqualTo(farAhead);
        });
    }

    private static int nodeBits(long id) {
        return (int) ((id >>> 12) & ((1 << IdSlots.NODE_BITS) - 1));
    }

    /** Every slot but one held by a node elsewhere, alive for the whole test. */
    private static void holdAllBut(Database database, int slot) {
        database.withConnection(c -> Sql.update(c, "UPDATE id_slots SET holder = 'elsewhere', expires_at = ? "
                + "WHERE slot <> ?", Long.MAX_VALUE / 2, slot));
    }

    private static String holder(Database database, int slot) {
        return database.withConnection(c -> Sql.query(c, "SELECT holder FROM id_slots WHERE slot = ?",
                row -> row.getString(1), slot)).getFirst();
    }

    private static long idsUntil(Database database, int slot) {
        return database.withConnection(c -> Sql.query(c, "SELECT ids_until FROM id_slots WHERE slot = ?",
                row -> row.getLong(1), slot)).getFirst();
    }

    private static long held(Database database) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM id_slots WHERE holder IS NOT NULL",
                row -> row.getLong(1))).orElseThrow();
    }
}

package io.switchboard.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.BusinessNumber;
import io.switchboard.store.Numbers;
import io.switchboard.store.db.Database;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A re-shard's hold on a number's leases, on each clustered database: no node takes a lease while it holds, the
 * hold lasts while it is renewed and runs out when it is not, and after it a node still on the old shard count can
 * neither take a lease of the new one nor add leases for the old; the new ones' epochs are above every old one.
 */
class LeasesTest {
    private static final String NUMBER = "+919800000001";
    private static final long LONG = 60_000;
    @TempDir Path temp;

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aReshardHoldsEveryLeaseAndTheOldShardCountTakesNoneOfTheNewOnes(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, temp);
             Database database = Database.open(store.url(), store.user(), store.password())) {
            Numbers numbers = new Numbers(database);
            numbers.create(new BusinessNumber(NUMBER, "p1", 100, 8, true, new byte[] {1}, 1L));
            Leases leases = new Leases(database);
            leases.ensure(NUMBER, 8);
            long before = leases.acquire(NUMBER, 1, 8, "a", LONG).orElseThrow().epoch();

            leases.block(NUMBER, 500);
            assertThat(leases.renew("a", LONG)).as("the owner finds its shard gone at its next renewal").isEmpty();
            assertThat(leases.acquire(NUMBER, 2, 8, "b", LONG)).as("held").isEmpty();
            leases.extendBlock(NUMBER, LONG);
            Thread.sleep(700);
            assertThat(leases.acquire(NUMBER, 2, 8, "b", LONG)).as("held past its first time: it was renewed").isEmpty();

            numbers.reshard(NUMBER, 4, user -> 0, leases.reset(NUMBER, 4));
            leases.extendBlock(NUMBER, LONG); // a renewal that comes late holds nothing any more
            leases.ensure(NUMBER, 8); // a node that read the number just before the re-shard
            assertThat(leases.all()).hasSize(4).allMatch(lease -> lease.owner() == null);
            assertThat(leases.acquire(NUMBER, 2, 8, "b", LONG)).as("b still runs the number on 8 shards").isEmpty();
            Leases.Lease taken = leases.acquire(NUMBER, 2, 4, "b", LONG).orElseThrow();
            assertThat(taken.epoch()).isGreaterThan(before + 1); // + 1: the hold's own epoch

            leases.block(NUMBER, 200); // the node doing the re-shard dies: the hold runs out
            Thread.sleep(400);
            assertThat(leases.acquire(NUMBER, 3, 4, "c", LONG)).isPresent();
        }
    }
}

package io.switchboard.store.ids;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.util.List;
import java.util.Optional;

/**
 * The store's 1,024 id slots: the node bits of the ids, each held by one running node at a time. A slot changes hands
 * only when it is free or its holder let it expire (timed by the database server's clock, which every node shares);
 * the update that takes it is conditional, so two nodes can never both win one.
 */
public final class IdSlots {
    /** 10 node bits: 1,024 nodes at once, 4,096 ids a millisecond each. */
    public static final int NODE_BITS = 10;
    /** Raises {@code ids_until} to the value given (bound twice), never lowers it: it bounds ids already made. */
    private static final String RAISE_IDS_UNTIL = "ids_until = CASE WHEN ids_until > ? THEN ids_until ELSE ? END";
    /** Free or expired slots tried per claim: enough for several nodes starting at once. */
    private static final int CANDIDATES = 16;

    private final Database database;

    public IdSlots(Database database) {
        this.database = database;
    }

    /**
     * A slot taken: {@code previousIdsUntil} bounds the ids of whoever held it before (in that holder's clock, epoch
     * ms; 0 for a slot never used): the new holder must not make ids until its clock is past it.
     */
    public record Claim(int slot, long previousIdsUntil) {}

    /**
     * Takes a free or expired slot for {@code holder} until {@code lifetimeMillis} from now (database clock), its ids
     * made until {@code idsUntil} (the holder's clock). The slots whose ids ended earliest come first, so a node
     * rarely waits. Empty when every slot is held.
     */
    public Optional<Claim> claim(String holder, long lifetimeMillis, long idsUntil) {
        return database.withConnection(c -> {
            long now = database.nowMillis(c);
            List<Claim> candidates = Sql.query(c, "SELECT slot, ids_until FROM id_slots WHERE holder IS NULL "
                    + "OR expires_at < ? ORDER BY ids_until, slot LIMIT " + CANDIDATES,
                    row -> new Claim(row.getInt(1), row.getLong(2)), now);
            for (Claim candidate : candidates) {
                // ids_until as read: a holder that came and went meanwhile raised it, and its ids must be waited for.
                int taken = Sql.update(c, "UPDATE id_slots SET holder = ?, expires_at = ?, " + RAISE_IDS_UNTIL
                        + " WHERE slot = ? AND (holder IS NULL OR expires_at < ?) AND ids_until = ?", holder,
                        now + lifetimeMillis, idsUntil, idsUntil, candidate.slot(), now, candidate.previousIdsUntil());
                if (taken == 1) return Optional.of(candidate);
            }
            return Optional.empty();
        });
    }

    /** Keeps the slot for {@code lifetimeMillis} more; false when it is not the holder's any more (it was taken over). */
    public boolean renew(int slot, String holder, long lifetimeMillis, long idsUntil) {
        return database.withConnection(c -> Sql.update(c, "UPDATE id_slots SET expires_at = ?, " + RAISE_IDS_UNTIL
                + " WHERE slot = ? AND holder = ?", database.nowMillis(c) + lifetimeMillis, idsUntil, idsUntil, slot, holder) == 1);
    }

    /** Frees the slot at once, recording {@code idsUntil}, the time of the holder's last id. */
    public void release(int slot, String holder, long idsUntil) {
        database.withConnection(c -> Sql.update(c, "UPDATE id_slots SET holder = NULL, expires_at = 0, " + RAISE_IDS_UNTIL
                + " WHERE slot = ? AND holder = ?", idsUntil, idsUntil, slot, holder));
    }
}

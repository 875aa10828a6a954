package io.switchboard.store.ids;

import com.github.f4b6a3.tsid.Tsid;
import com.github.f4b6a3.tsid.TsidFactory;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids one node makes: TSIDs whose node bits are an id slot the node holds in the store, so two nodes never make
 * the same id. The slot is claimed at start, renewed by a daemon thread, and released on close. An id is handed out
 * only while the slot is surely still this node's (its last renewal has not run out, by the monotonic clock) and
 * its time is within the bound the store records for the slot; a node whose renewals failed for the slot's lifetime
 * (frozen, or cut off from the store) makes no ids until it holds a slot again.
 *
 * <p>Each node has its own, also when several run in one process.
 */
public final class NodeIds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeIds.class);
    /** How long a slot stays held without a renewal: the slot of a node that died unreleased is free after this. */
    public static final Duration LIFETIME = Duration.ofSeconds(30);
    private static final Duration RENEWAL = Duration.ofSeconds(5);

    private final IdSlots slots;
    private final Duration lifetime;
    /** Unique to this generator: a node restarted with the same name never takes its previous claim for its own. */
    private final String holder = UUID.randomUUID().toString();
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService renewer;
    /** The slot held, or the last one held while there is none: then it covers no id. */
    private volatile Held held;

    /** A node's ids on the store, with the usual slot lifetime. */
    public static NodeIds start(Database database) {
        return new NodeIds(new IdSlots(database), LIFETIME, RENEWAL);
    }

    /** Claims a slot (a StoreException when none can be had) and renews it every {@code renewal}. */
    public NodeIds(IdSlots slots, Duration lifetime, Duration renewal) {
        this.slots = slots;
        this.lifetime = lifetime;
        this.held = take();
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("id-slot").daemon(true).factory());
        renewer.scheduleWithFixedDelay(this::renewQuietly, renewal.toMillis(), renewal.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new id, unique across the nodes of the store; a StoreException (the API's 503) while no slot is surely held. */
    public long next() {
        Held current = held;
        long id = current.factory.create().toLong();
        // Checked once the id is made: a slot lost or released before that is seen here.
        if (!current.covers(id)) {
            throw new StoreException("no id slot confirmed: this node could not renew its slot in the store in time");
        }
        return id;
    }

    /** The slot held now: the node bits of this node's ids. */
    public int slot() {
        return held.slot;
    }

    /** Renews the slot, or, when another node took it over meanwhile, claims another. */
    synchronized void renew() {
        Held current = held;
        long started = System.nanoTime();
        long idsUntil = clock.millis() + lifetime.toMillis();
        if (slots.renew(current.slot, holder, lifetime.toMillis(), idsUntil)) {
            current.extend(started + validNanos(), idsUntil);
            return;
        }
        current.expire();
        LOG.warn("id slot {} was taken over by another node (it was not renewed in time); claiming another", current.slot);
        held = take();
        LOG.info("id slot {} claimed", held.slot);
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("renewing id slot {} failed (no ids once it runs out): {}", held.slot, e.getMessage());
        }
    }

    private Held take() {
        long started = System.nanoTime();
        long idsUntil = clock.millis() + lifetime.toMillis();
        IdSlots.Claim claim = slots.claim(holder, lifetime.toMillis(), idsUntil).orElseThrow(() ->
                new StoreException("every id slot is held: " + (1 << IdSlots.NODE_BITS) + " nodes run on this store"));
        awaitPast(claim);
        TsidFactory factory = TsidFactory.builder().withNode(claim.slot()).withNodeBits(IdSlots.NODE_BITS)
                .withClock(clock).build();
        return new Held(claim.slot(), factory, started + validNanos(), idsUntil);
    }

    /**
     * Waits until this node's clock is past the last id of the slot's previous holder, so its ids sort after those
     * and never repeat one. A wait of half a lifetime or more means the clocks disagree too much: the slot is
     * handed back and the claim fails.
     */
    private void awaitPast(IdSlots.Claim claim) {
        long behind = claim.previousIdsUntil() - clock.millis();
        if (behind >= lifetime.toMillis() / 2) {
            slots.release(claim.slot(), holder, claim.previousIdsUntil());
            throw new IllegalStateException("this node's clock is " + behind + " ms behind the one of id slot "
                    + claim.slot() + "'s previous holder: set the clocks right (NTP)");
        }
        try {
            for (long wait = behind; wait >= 0; wait = claim.previousIdsUntil() - clock.millis()) Thread.sleep(wait + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slots.release(claim.slot(), holder, claim.previousIdsUntil());
            throw new StoreException("interrupted while waiting to use id slot " + claim.slot());
        }
    }

    /** A renewal is trusted for its lifetime less a fifth, for a slow round trip and clocks that run at other rates. */
    private long validNanos() {
        return lifetime.toNanos() - lifetime.toNanos() / 5;
    }

    /** Stops renewing and frees the slot, recording the time of its last id for the next holder. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Held last = held;
        last.expire();
        // One more id's time bounds every id made before it: the generator's times never go back.
        long idsUntil = Math.max(clock.millis(), last.factory.create().getUnixMilliseconds());
        try {
            slots.release(last.slot, holder, idsUntil);
        } catch (StoreException e) {
            LOG.warn("releasing id slot {} failed (free again once it expires): {}", last.slot, e.getMessage());
        }
    }

    /** A slot held: its generator, how long it is surely this node's, and the latest id time the store allows it. */
    private static final class Held {
        final int slot;
        final TsidFactory factory;
        private volatile long validUntilNanos;
        private volatile long idsUntil;

        Held(int slot, TsidFactory factory, long validUntilNanos, long idsUntil) {
            this.slot = slot;
            this.factory = factory;
            this.validUntilNanos = validUntilNanos;
            this.idsUntil = idsUntil;
        }

        /** Whether the id may be handed out: made while the slot is surely held, within the store's bound. */
        boolean covers(long id) {
            return System.nanoTime() - validUntilNanos < 0 && Tsid.from(id).getUnixMilliseconds() <= idsUntil;
        }

        void extend(long validUntilNanos, long idsUntil) {
            this.idsUntil = Math.max(this.idsUntil, idsUntil);
            this.validUntilNanos = validUntilNanos;
        }

        void expire() {
            validUntilNanos = System.nanoTime();
        }
    }
}

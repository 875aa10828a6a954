package io.switchboard.app.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The real clock, ahead by however far a test moved it: days pass in a moment, and time still runs between moves. */
public final class MovableClock extends Clock {
    private final AtomicLong aheadMillis = new AtomicLong();

    public void advance(Duration by) {
        aheadMillis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + aheadMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.normalized().equals(zone.normalized())) throw new UnsupportedOperationException("UTC only");
        return this;
    }
}

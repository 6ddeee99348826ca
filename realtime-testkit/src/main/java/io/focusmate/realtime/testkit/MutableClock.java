package io.focusmate.realtime.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that follows real time plus an offset the test moves forward. Thread-safe. */
public final class MutableClock extends Clock {
    /** Any thread: how far the test moved the clock ahead of real time. */
    private final AtomicLong offsetMillis = new AtomicLong();

    /** Moves the clock forward. */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get());
    }
}

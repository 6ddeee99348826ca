package io.focusmate.realtime.launcher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that follows real time plus an offset the test moves forward. Thread-safe. */
final class MutableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    void advance(Duration by) {
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

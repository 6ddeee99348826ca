package io.focusmate.realtime.testkit;

import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.InMemoryNotificationHistory;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;

class InMemoryNotificationHistoryTest extends NotificationHistoryContractTest {
    /** Owned by the test thread. */
    private InMemoryPubSub broker;
    private final SteppedClock clock = new SteppedClock();

    @Override
    protected NotificationHistory createHistory(HistorySettings settings) {
        return new InMemoryNotificationHistory(pubSub(), settings, clock);
    }

    @Override
    protected PubSub pubSub() {
        if (broker == null) {
            broker = new InMemoryPubSub();
        }
        return broker;
    }

    /** The history's clock moves on; nothing waits. */
    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A clock that moves only when told to. */
    private static final class SteppedClock extends Clock {
        /** Written by the test thread; read by any thread that publishes. */
        private volatile Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
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
            return now;
        }
    }
}

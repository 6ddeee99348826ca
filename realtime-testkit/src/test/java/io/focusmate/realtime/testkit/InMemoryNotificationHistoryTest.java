package io.focusmate.realtime.testkit;

import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.InMemoryNotificationHistory;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

class InMemoryNotificationHistoryTest extends NotificationHistoryContractTest {
    /** Owned by the test thread. */
    private InMemoryPubSub broker;
    private final MutableClock clock = new MutableClock();

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
}

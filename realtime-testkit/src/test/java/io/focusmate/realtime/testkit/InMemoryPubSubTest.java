package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryPubSubTest extends PubSubContractTest {

    @Override
    protected PubSub createPubSub() {
        return new InMemoryPubSub();
    }

    @Test
    void aFullQueueRefusesThePublisherInsteadOfGrowingWithoutBound() throws Exception {
        InMemoryPubSub small = new InMemoryPubSub(4, 50);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        try {
            ready(small.subscribe("slow", (channel, payload) -> {
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            small.publish("slow", "first");
            blocked.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                small.publish("slow", "queued" + i);
            }
            assertThrows(PubSubException.class, () -> small.publish("slow", "one too many"));
        } finally {
            release.countDown();
            small.close();
        }
    }
}

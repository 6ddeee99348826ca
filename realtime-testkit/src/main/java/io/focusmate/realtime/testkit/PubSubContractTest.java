package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.pubsub.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compatibility kit of the {@link PubSub} SPI: every implementation subclasses this and passes it unchanged.
 */
@Timeout(60)
public abstract class PubSubContractTest {
    /** Owned by the test thread. */
    protected PubSub pubSub;

    /** A new, started broker; each test gets its own. */
    /** For subclasses: one per implementation under test. */
    protected PubSubContractTest() {
    }

    protected abstract PubSub createPubSub();

    @BeforeEach
    void setUp() {
        pubSub = createPubSub();
    }

    @AfterEach
    void tearDown() {
        pubSub.close();
    }

    @Test
    void aMessagePublishedAfterReadyReachesTheListener() throws Exception {
        Recorder recorder = new Recorder();
        ready(pubSub.subscribe("c1", recorder));
        pubSub.publish("c1", "hello");
        assertEquals("c1 hello", recorder.take());
    }

    @Test
    void everyListenerOfAChannelReceivesEveryMessageInPublishOrder() throws Exception {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        ready(pubSub.subscribe("ordered", first));
        ready(pubSub.subscribe("ordered", second));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pubSub.publish("ordered", "m" + i);
            expected.add("ordered m" + i);
        }
        assertEquals(expected, first.take(500));
        assertEquals(expected, second.take(500));
    }

    @Test
    void aListenerReceivesOnlyTheMessagesOfItsOwnChannel() throws Exception {
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        ready(pubSub.subscribe("user:alice", alice));
        ready(pubSub.subscribe("user:bob", bob));
        pubSub.publish("user:alice", "for-alice");
        pubSub.publish("user:bob", "for-bob");
        assertEquals("user:bob for-bob", bob.take());
        assertEquals("user:alice for-alice", alice.take());
        assertTrue(alice.received.isEmpty(), "alice got " + alice.received);
        assertTrue(bob.received.isEmpty(), "bob got " + bob.received);
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() throws Exception {
        Recorder gone = new Recorder();
        Recorder witness = new Recorder();
        Subscription subscription = pubSub.subscribe("left", gone);
        ready(subscription);
        ready(pubSub.subscribe("left", witness));
        subscription.close();
        pubSub.publish("left", "after-close");
        assertEquals("left after-close", witness.take());
        assertTrue(gone.received.isEmpty(), "a closed subscription received " + gone.received);
    }

    @Test
    void aListenerThatThrowsDoesNotStopDeliveryToTheOthers() throws Exception {
        Recorder healthy = new Recorder();
        ready(pubSub.subscribe("faulty", (channel, payload) -> {
            throw new IllegalStateException("listener bug");
        }));
        ready(pubSub.subscribe("faulty", healthy));
        pubSub.publish("faulty", "one");
        pubSub.publish("faulty", "two");
        assertEquals(List.of("faulty one", "faulty two"), healthy.take(2));
    }

    @Test
    void aChannelThatLostItsLastListenerCanBeSubscribedAgainAtOnce() throws Exception {
        // Many rounds: a broker that reports ready while its unsubscribe is still in flight loses a round's message.
        for (int round = 0; round < 300; round++) {
            Recorder recorder = new Recorder();
            Subscription subscription = pubSub.subscribe("flapping", recorder);
            ready(subscription);
            pubSub.publish("flapping", "round" + round);
            assertEquals("flapping round" + round, recorder.take());
            subscription.close();
        }
    }

    @Test
    void publishingOnAClosedBrokerFailsWithPubSubException() {
        pubSub.close();
        assertThrows(PubSubException.class, () -> pubSub.publish("c", "x"));
    }

    @Test
    void closingTheBrokerCompletesPendingReadiness() throws Exception {
        Subscription subscription = pubSub.subscribe("pending", new Recorder());
        pubSub.close();
        subscription.ready().get(5, TimeUnit.SECONDS);
    }

    /** Waits for a subscription to be live. */
    protected static void ready(Subscription subscription) throws Exception {
        subscription.ready().get(10, TimeUnit.SECONDS);
    }

    /** Records "channel payload" strings. */
    protected static final class Recorder implements MessageListener {
        /** What arrived and was not taken yet. */
        public final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        /** An empty recorder. */
        public Recorder() {
        }

        @Override
        public void onMessage(String channel, String payload) {
            received.add(channel + " " + payload);
        }

        /** The next message, or a failure after 10 s. */
        public String take() throws InterruptedException {
            String next = received.poll(10, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError("no message within 10 s");
            }
            return next;
        }

        List<String> take(int count) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(take());
            }
            return out;
        }
    }
}

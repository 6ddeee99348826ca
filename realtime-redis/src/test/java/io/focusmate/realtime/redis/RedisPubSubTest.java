package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.pubsub.Subscription;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.PubSubContractTest;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisPubSubTest extends PubSubContractTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** Each test gets its own prefix, so tests never see each other's channels. */
    private String prefix;
    /** The backends this test made; closed after it. Owned by the test thread. */
    private final List<RedisBackend> backends = new ArrayList<>();



    @Override
    protected PubSub createPubSub() {
        prefix = RedisExtension.uniquePrefix();
        return newBroker(prefix).pubSub();
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(RedisBackend::close);
    }

    private RedisBackend newBroker(String prefix) {
        RedisBackend backend = RedisBackend.builder(RedisUrl.parse(REDIS.url()))
                .keyPrefix(prefix)
                .pingInterval(Duration.ofMillis(300))
                .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.2))
                .build();
        backends.add(backend);
        return backend;
    }

    @Test
    void aRawPublishFromOutsideTheJvmReachesTheListenerByteForByte() throws Exception {
        Recorder recorder = new Recorder();
        ready(pubSub.subscribe("notifications:user:42", recorder));
        String payload = "{\"type\":\"notification\",\"data\":{\"title\":\"héllo ✓\"}}";
        assertEquals("1", REDIS.command("PUBLISH", prefix + "notifications:user:42", payload));
        assertEquals("notifications:user:42 " + payload, recorder.take());
    }

    @Test
    void aChannelIsSubscribedOnceForAllListenersAndUnsubscribedWithTheLast() throws Exception {
        String wire = prefix + "shared";
        Subscription first = pubSub.subscribe("shared", new Recorder());
        Subscription second = pubSub.subscribe("shared", new Recorder());
        ready(first);
        ready(second);
        assertEquals(1, numsub(wire), "one Redis subscription for two listeners");
        first.close();
        assertEquals(1, numsub(wire), "still subscribed while a listener remains");
        second.close();
        Await.until("the channel to be unsubscribed in Redis", () -> numsub(wire) == 0);
    }

    @Test
    void oneBrokerHoldsOneSubscriberConnectionWhateverTheNumberOfChannels() throws Exception {
        for (int i = 0; i < 50; i++) {
            ready(pubSub.subscribe("many:" + i, new Recorder()));
        }
        // Other tests' brokers may be alive too; ours is the one whose connection holds our 50 channels + control.
        String clients = REDIS.command("CLIENT", "LIST", "TYPE", "pubsub");
        long holdingOurs = clients.lines().filter(l -> l.contains("name=realtime-subscriber")
                && l.contains(" sub=51 ")).count();
        assertEquals(1, holdingOurs, clients);
        assertEquals(1, numsub(prefix + "many:0"));
        assertEquals(1, numsub(prefix + "many:49"));
    }

    @Test
    void afterRedisRestartsEveryLiveChannelIsResubscribedWithoutTheListenersDoingAnything() throws Exception {
        Recorder recorder = new Recorder();
        ready(pubSub.subscribe("survivor", recorder));
        REDIS.stop();
        Await.until("the broker to notice the outage", () -> !pubSub.isConnected());
        assertThrows(PubSubException.class, () -> pubSub.publish("survivor", "lost"));
        REDIS.restart();
        Await.until("the channel to be subscribed again", Duration.ofSeconds(15), () -> numsub(prefix + "survivor") == 1);
        pubSub.publish("survivor", "after-restart");
        assertEquals("survivor after-restart", recorder.take());
        assertTrue(pubSub.isConnected());
    }

    @Test
    void aKilledSubscriberConnectionIsReplacedAndKeepsDelivering() throws Exception {
        Recorder recorder = new Recorder();
        ready(pubSub.subscribe("killed", recorder));
        REDIS.command("CLIENT", "KILL", "TYPE", "pubsub");
        Await.until("the channel to be subscribed again", Duration.ofSeconds(15), () -> numsub(prefix + "killed") == 1);
        pubSub.publish("killed", "after-kill");
        assertEquals("killed after-kill", recorder.take());
    }

    @Test
    void twoBrokersOnOneRedisSeeEachOthersMessages() throws Exception {
        try (RedisBackend other = newBroker(prefix)) {
            Recorder recorder = new Recorder();
            ready(other.pubSub().subscribe("across", recorder));
            pubSub.publish("across", "from-the-first");
            assertEquals("across from-the-first", recorder.take());
        }
    }

    @Test
    void theKeyPrefixSeparatesDeploymentsThatShareARedis() throws Exception {
        try (RedisBackend otherDeployment = newBroker("other-" + prefix)) {
            Recorder ours = new Recorder();
            Recorder theirs = new Recorder();
            ready(pubSub.subscribe("same-name", ours));
            ready(otherDeployment.pubSub().subscribe("same-name", theirs));
            otherDeployment.pubSub().publish("same-name", "theirs");
            pubSub.publish("same-name", "ours");
            assertEquals("same-name ours", ours.take());
            assertEquals("same-name theirs", theirs.take());
            assertFalse(ours.received.contains("same-name theirs"));
        }
    }

    @Test
    void verifyReachableNamesTheAddressWhenRedisIsDown() {
        try (RedisBackend nowhere = RedisBackend.builder(RedisUrl.parse("redis://127.0.0.1:" + RedisServer.freePort()))
                .timeout(Duration.ofMillis(300)).build()) {
            PubSubException e = assertThrows(PubSubException.class, nowhere::verifyReachable);
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
    }

    private static int numsub(String wire) {
        String[] lines = REDIS.command("PUBSUB", "NUMSUB", wire).split("\n");
        return Integer.parseInt(lines[lines.length - 1]);
    }
}

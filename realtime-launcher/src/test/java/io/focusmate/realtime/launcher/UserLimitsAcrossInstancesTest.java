package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TcpProxy;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11's cluster-wide limits: three (or two) instances on one real Redis. A user's connections count on every
 * instance, a killed instance's connections stop counting within CONNECTION_LEASE, and a user's chat messages share
 * one CHAT_MESSAGE_RATE whatever instances their connections are on.
 */
@Timeout(120)
class UserLimitsAcrossInstancesTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final long LEASE_MS = 2_000;
    private final String prefix = RedisExtension.uniquePrefix();
    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    private TestInstance instance(String redisUrl, String... settings) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redisUrl, "REDIS_KEY_PREFIX", prefix,
                "CONNECTION_LEASE", LEASE_MS + "ms"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        TestInstance instance = TestInstance.start(env);
        toClose.add(instance);
        return instance;
    }

    private WsClient connected(TestInstance instance, String user) {
        WsClient client = instance.connect(user);
        toClose.add(client);
        return client;
    }

    /** Connects and expects the refusal: the error frame, then close 1008. */
    private static void assertRefused(TestInstance instance, String user, String where) {
        try (WsClient client = WsClient.connect(instance.notificationsUrl(TestTokens.token(user)))) {
            JsonNode frame = client.next();
            assertEquals("error", frame.path("type").asText(), where + ": " + frame);
            assertEquals("TOO_MANY_CONNECTIONS", frame.path("code").asText(), where);
            assertEquals("Too many connections: the limit is 5 per user", frame.path("message").asText(), where);
            WsClient.Close close = client.awaitClose();
            assertEquals(1008, close.code(), where);
            assertEquals("Too many connections", close.reason(), where);
        }
    }

    /** Whether a new connection of the user is accepted now; an accepted one is kept open. */
    private boolean accepted(TestInstance instance, String user) {
        WsClient client = WsClient.connect(instance.notificationsUrl(TestTokens.token(user)));
        if ("connected".equals(client.next().path("type").asText())) {
            toClose.add(client);
            return true;
        }
        client.awaitClose();
        return false;
    }

    private String leases(String user) {
        return REDIS.command("ZCARD", prefix + "connections:notifications:" + user);
    }

    @Test
    void theSixthConnectionOfAUserIsRefusedOnWhicheverOfThreeInstancesItLandsAndClosingOneFreesAPlace() {
        TestInstance one = instance(REDIS.url());
        TestInstance two = instance(REDIS.url());
        TestInstance three = instance(REDIS.url());
        String alice = "alice-" + UUID.randomUUID();
        connected(one, alice);
        connected(one, alice);
        WsClient onTwo = connected(two, alice);
        connected(two, alice);
        connected(three, alice);
        assertEquals("5", leases(alice));
        assertRefused(one, alice, "on one");
        assertRefused(two, alice, "on two");
        assertRefused(three, alice, "on three");
        assertTrue(accepted(three, "bob-" + UUID.randomUUID()), "another user is not limited by alice");

        onTwo.close();
        Await.until("the closed connection's lease to be released", () -> "4".equals(leases(alice)));
        assertTrue(accepted(three, alice), "the freed place is taken on another instance");
        assertRefused(one, alice, "and the limit holds again");
        assertEquals(2, one.gateway().connectionCount(alice), "each instance holds its own connections");
    }

    @Test
    void aKilledInstancesConnectionsStopCountingWithinTheLease() throws Exception {
        TcpProxy link = new TcpProxy(Integer.parseInt(REDIS.url().replaceAll(".*:", "")));
        toClose.add(link);
        TestInstance one = instance(REDIS.url());
        TestInstance two = instance(REDIS.url());
        TestInstance doomed = instance("redis://127.0.0.1:" + link.port());
        String alice = "alice-" + UUID.randomUUID();
        connected(one, alice);
        connected(two, alice);
        for (int i = 0; i < 3; i++) {
            connected(doomed, alice);
        }
        assertRefused(one, alice, "five held, two of them on one and two");

        link.close(); // the doomed instance loses Redis for good: it can neither renew nor release its leases
        long killed = System.nanoTime();
        assertEquals("5", leases(alice), "the cut-off instance's leases are still in Redis");
        assertRefused(two, alice, "right after the kill its connections still count");
        doomed.close(); // and stops; its clients are gone, its releases fail
        Await.until("a new connection of alice to be accepted", Duration.ofMillis(3 * LEASE_MS),
                () -> accepted(two, alice));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("a killed instance's connections stopped counting after " + elapsedMs + " ms (lease "
                + LEASE_MS + " ms)");
        assertTrue(elapsedMs <= LEASE_MS + 500, "within the lease: " + elapsedMs + " ms");
        Await.until("the dead instance's other leases to expire too", Duration.ofMillis(LEASE_MS),
                () -> "3".equals(REDIS.command("ZCOUNT", prefix + "connections:notifications:" + alice,
                        "(" + System.currentTimeMillis(), "+inf")));
        assertTrue(accepted(one, alice) && accepted(two, alice), "the dead instance's three places are free");
        assertRefused(one, alice, "and the limit holds again");
    }

    @Test
    void oneUsersChatMessagesFromTwoInstancesShareOneRateAndTheRestAreRateLimited() throws Exception {
        TestInstance one = instance(REDIS.url());
        TestInstance two = instance(REDIS.url());
        String room = "c-" + UUID.randomUUID().toString().substring(0, 8);
        REDIS.command("SADD", prefix + "matching:chat:" + room + ":members", "alice", "bob");
        WsClient bob = one.chat("bob", room, null);
        WsClient tabOne = one.chat("alice", room, null);
        WsClient tabTwo = two.chat("alice", room, null);
        toClose.addAll(List.of(bob, tabOne, tabTwo));
        int perTab = 20;
        long start = System.nanoTime();
        Thread other = new Thread(() -> sendMessagesThenMarker(tabTwo, perTab));
        other.start();
        sendMessagesThenMarker(tabOne, perTab);
        other.join();
        int limited = rateLimitedBeforeMarker(tabOne) + rateLimitedBeforeMarker(tabTwo);
        double seconds = (System.nanoTime() - start) / 1e9;
        int delivered = 2 * perTab - limited;
        System.out.printf("chat rate 5/s (burst 10), 2 tabs on 2 instances sending %d messages in %.2f s: %d "
                + "delivered, %d RATE_LIMITED%n", 2 * perTab, seconds, delivered, limited);
        assertTrue(delivered >= 10, "the burst is usable: " + delivered);
        assertTrue(delivered <= 10 + 5 * seconds, delivered + " delivered in " + seconds + " s");
        JsonNode last = null;
        for (int i = 0; i < delivered; i++) {
            last = bob.nextOfType("message").path("data");
        }
        assertEquals(delivered, last.path("message_id").asLong(), "the others were neither stored nor delivered");
        assertEquals("pong", tabOne.send("{\"type\":\"ping\"}").nextOfType("pong").path("type").asText(),
                "a rate-limited connection stays open");
        assertTrue(!tabTwo.isClosed());
    }

    private static void sendMessagesThenMarker(WsClient tab, int count) {
        for (int i = 0; i < count; i++) {
            tab.send("{\"type\":\"message\",\"data\":{\"content\":\"m" + i + "\"}}");
        }
        // handled on the room's stripe after the messages: its error says every message above was dealt with
        tab.send("{\"type\":\"read\",\"data\":{\"message_id\":999999999}}");
    }

    private static int rateLimitedBeforeMarker(WsClient tab) {
        int limited = 0;
        while (true) {
            JsonNode frame = tab.next();
            String code = frame.path("code").asText();
            if ("RATE_LIMITED".equals(code)) {
                assertEquals("Too many chat messages: the limit is 5 per second per user; this one was not sent",
                        frame.path("message").asText());
                limited++;
            } else if ("INVALID_MESSAGE".equals(code)) {
                return limited;
            }
        }
    }
}

package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.notifications.Recovery;
import io.focusmate.realtime.notifications.StreamPosition;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.NotificationHistoryContractTest;
import io.focusmate.realtime.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

class RedisNotificationHistoryTest extends NotificationHistoryContractTest {
    private static final String ALICE = "notifications:user:alice";
    private static final String FRAME = "{\"type\":\"notification\",\"data\":{\"title\":\"Friend request\"}}";
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** Each test gets its own prefix, so tests never see each other's keys. */
    private final String prefix = RedisExtension.uniquePrefix();
    /** The backend of this test's history; owned by the test thread. */
    private RedisBackend backend;
    /** A plain Jedis client, as another publisher would have; owned by the test thread. */
    private RedisClient plain;

    @Override
    protected NotificationHistory createHistory(HistorySettings settings) {
        backend = RedisBackend.builder(REDIS.url()).keyPrefix(prefix).notificationHistory(settings).build();
        return backend.notificationHistory();
    }

    @Override
    protected PubSub pubSub() {
        return backend.pubSub();
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    /** A backend started as servers start it: Redis checked and the Function loaded before it returns. */
    private NotificationHistory verified(HistorySettings settings) {
        backend = RedisBackend.builder(REDIS.url()).keyPrefix(prefix).notificationHistory(settings)
                .backoff(new io.focusmate.realtime.Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 0))
                .buildVerified();
        assertTrue(backend.history().functionLoaded());
        return backend.notificationHistory();
    }

    /** FCALL realtime_publish from a plain client, as a Python backend would call it. */
    private List<Object> fcall(String channel, String frame, String... idempotencyKey) {
        if (plain == null) {
            RedisUrl url = RedisUrl.parse(REDIS.url());
            plain = RedisClient.builder().hostAndPort(new HostAndPort(url.host(), url.port())).build();
        }
        List<String> args = new ArrayList<>(List.of(frame));
        args.addAll(List.of(idempotencyKey));
        List<Object> reply = new ArrayList<>();
        for (Object element : (List<?>) plain.fcall("realtime_publish", List.of(prefix + channel), args)) {
            reply.add(element instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : element);
        }
        return reply;
    }

    private BlockingQueue<String> listen(String channel) throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        backend.pubSub().subscribe(channel, (c, payload) -> frames.add(payload)).ready().get(10, TimeUnit.SECONDS);
        return frames;
    }

    private static String take(BlockingQueue<String> frames) throws InterruptedException {
        String next = frames.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return next;
    }

    @Test
    void everyKeyCarriesThePrefixAndExpiresByItself() {
        NotificationHistory history = createHistory(new HistorySettings(100, Duration.ofHours(24),
                Duration.ofDays(30), Duration.ofMinutes(10)));
        history.publish(ALICE, FRAME, "order-42");
        List<String> keys = REDIS.command("KEYS", prefix + "*").lines().sorted().toList();
        assertEquals(List.of(prefix + ALICE + ":history", prefix + ALICE + ":idem:order-42", prefix + ALICE + ":meta"),
                keys);
        assertTtl(Duration.ofHours(24), prefix + ALICE + ":history");
        assertTtl(Duration.ofDays(30), prefix + ALICE + ":meta");
        assertTtl(Duration.ofMinutes(10), prefix + ALICE + ":idem:order-42");
    }

    private static void assertTtl(Duration expected, String key) {
        long ttl = Long.parseLong(REDIS.command("PTTL", key));
        assertTrue(ttl > expected.toMillis() - 60_000 && ttl <= expected.toMillis(), key + ": " + ttl);
    }

    @Test
    void theHistoryIsAStreamWithTheOffsetsAsEntryIdsTrimmedToTheSize() {
        NotificationHistory history = createHistory(new HistorySettings(3, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofMinutes(1)));
        List<Publication> published = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            published.add(history.publish(ALICE, FRAME, null));
        }
        String stream = prefix + ALICE + ":history";
        assertEquals("3", REDIS.command("XLEN", stream));
        assertEquals("8-0\nf\n" + published.get(7).frame(), REDIS.command("XRANGE", stream, "-", "+", "COUNT", "1"));
        assertEquals("epoch\n" + published.get(9).position().epoch() + "\noffset\n10",
                REDIS.command("HGETALL", prefix + ALICE + ":meta"));
    }

    @Test
    void aFlushStartsANewEpochAtOffsetOneAndOldPositionsAreNotRecovered() {
        NotificationHistory history = createHistory(HistorySettings.DEFAULTS);
        history.publish(ALICE, FRAME, null);
        StreamPosition old = history.publish(ALICE, FRAME, null).position();
        assertEquals("OK", REDIS.command("FLUSHALL"));
        Publication next = history.publish(ALICE, FRAME, null);
        assertNotEquals(old.epoch(), next.position().epoch());
        assertEquals(1, next.position().offset());
        assertEquals(new Recovery(next.position(), false, List.of()), history.recover(ALICE, old, 100));
        assertEquals(new Recovery(next.position(), false, List.of()),
                history.recover(ALICE, new StreamPosition(old.epoch(), 0), 100));
    }

    @Test
    void aRedisRestartWithoutPersistenceGivesANewEpochAndTheFunctionIsLoadedAgain() throws Exception {
        NotificationHistory history = verified(HistorySettings.DEFAULTS);
        StreamPosition old = history.publish(ALICE, FRAME, null).position();
        REDIS.stop();
        REDIS.restart();
        Await.until("the Function is loaded again after the restart", Duration.ofSeconds(20),
                () -> REDIS.command("FUNCTION", "LIST", "LIBRARYNAME", "realtime").contains("realtime_publish"));
        Await.until("the subscriber is back", Duration.ofSeconds(20), () -> backend.pubSub().isConnected());
        BlockingQueue<String> frames = listen(ALICE);
        List<Object> reply = fcall(ALICE, FRAME);
        assertNotEquals(old.epoch(), reply.get(0));
        assertEquals(1L, reply.get(1));
        assertEquals(reply.get(3), take(frames));
        assertFalse(history.recover(ALICE, old, 100).recovered());
    }

    @Test
    void anFcallFromAPlainClientIsDeliveredWithThePositionAndIsRecoverable() throws Exception {
        NotificationHistory history = verified(HistorySettings.DEFAULTS);
        StreamPosition start = history.recover(ALICE, null, 100).current();
        BlockingQueue<String> frames = listen(ALICE);
        Publication viaGateway = history.publish(ALICE, FRAME, null);
        List<Object> reply = fcall(ALICE, FRAME);
        String expected = FRAME.substring(0, FRAME.length() - 1) + ",\"channel\":\"" + ALICE + "\",\"offset\":2,"
                + "\"epoch\":\"" + start.epoch() + "\"}";
        assertEquals(List.of(start.epoch(), 2L, 0L, expected), reply);
        assertEquals(viaGateway.frame(), take(frames));
        assertEquals(expected, take(frames));
        assertEquals(new Recovery(new StreamPosition(start.epoch(), 2), true, List.of(viaGateway.frame(), expected)),
                history.recover(ALICE, start, 100));
    }

    @Test
    void aRetriedFcallWithTheSameIdempotencyKeyIsDeliveredOnceAndGetsTheSamePosition() throws Exception {
        NotificationHistory history = verified(HistorySettings.DEFAULTS);
        BlockingQueue<String> frames = listen(ALICE);
        List<Object> first = fcall(ALICE, FRAME, "req-7");
        List<Object> retry = fcall(ALICE, FRAME, "req-7");
        assertEquals(List.of(first.get(0), 1L, 0L, first.get(3)), first);
        assertEquals(List.of(first.get(0), 1L, 1L, first.get(3)), retry);
        Publication viaGateway = history.publish(ALICE, FRAME, "req-7");
        assertTrue(viaGateway.duplicate(), "the gateway's path shares the key");
        Publication next = history.publish(ALICE, FRAME, null);
        assertEquals(first.get(3), take(frames));
        assertEquals(next.frame(), take(frames), "the retries were not delivered");
    }

    @Test
    void theFunctionRefusesWhatIsNotAJsonObjectFrameOrNotANotificationChannel() {
        verified(HistorySettings.DEFAULTS);
        JedisDataException notJson = assertThrows(JedisDataException.class, () -> fcall(ALICE, "hello"));
        assertTrue(notJson.getMessage().contains("not a JSON object"), notJson.getMessage());
        assertThrows(JedisDataException.class, () -> fcall(ALICE, "[\"type\"]"));
        JedisDataException notNotification = assertThrows(JedisDataException.class,
                () -> fcall("room:1:updates", FRAME));
        assertTrue(notNotification.getMessage().contains("not a notification channel"), notNotification.getMessage());
        assertThrows(PubSubException.class, () -> backend.notificationHistory().publish(ALICE, "hello", null));
        assertEquals("", REDIS.command("KEYS", prefix + "*"), "nothing was stored");
    }

    @Test
    void withHistoryOffTheFunctionPublishesTheFrameUnchanged() throws Exception {
        verified(new HistorySettings(0, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(1)));
        BlockingQueue<String> frames = listen(ALICE);
        assertEquals(List.of("", 0L, 0L, FRAME), fcall(ALICE, FRAME, "k"));
        assertEquals(FRAME, take(frames));
        assertEquals("", REDIS.command("KEYS", prefix + "*"));
    }

    @Test
    void theFunctionCarriesTheSettingsOfTheBackendThatLoadedItLast() {
        verified(new HistorySettings(7, Duration.ofSeconds(70), Duration.ofSeconds(700), Duration.ofSeconds(7)));
        String code = REDIS.command("FUNCTION", "LIST", "LIBRARYNAME", "realtime", "WITHCODE");
        assertTrue(code.contains("local SIZE, TTL_MS, META_TTL_MS, IDEM_MS, CLUSTER = 7, 70000, 700000, 7000, false"), code);
    }

    @Test
    void aRedisThatRefusesTheFunctionIsOneWarnLineAndTheGatewayStillPublishes() throws Exception {
        String user = "nofunction" + prefix.substring(1, 9);
        assertEquals("OK", REDIS.command("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-function"));
        try {
            RedisUrl url = RedisUrl.parse(REDIS.url());
            backend = RedisBackend.builder("redis://" + user + ":secret@" + url.host() + ":" + url.port())
                    .keyPrefix(prefix).buildVerified();
            assertFalse(backend.history().functionLoaded());
            BlockingQueue<String> frames = listen(ALICE);
            Publication publication = backend.notificationHistory().publish(ALICE, FRAME, null);
            assertEquals(1, publication.position().offset());
            assertEquals(publication.frame(), take(frames));
        } finally {
            if (backend != null) {
                backend.close();
            }
            REDIS.command("ACL", "DELUSER", user);
        }
    }

    @Test
    void aKeyPrefixContainingTheNotificationsNamespaceIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> RedisBackend.builder(REDIS.url()).keyPrefix("app:notifications:"));
    }
}

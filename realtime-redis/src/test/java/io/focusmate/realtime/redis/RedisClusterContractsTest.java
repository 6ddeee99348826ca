package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.TimerCommand;
import io.focusmate.realtime.testkit.ChatStoreContractTest;
import io.focusmate.realtime.testkit.NotificationHistoryContractTest;
import io.focusmate.realtime.testkit.PubSubContractTest;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.RoomStoreContractTest;
import io.focusmate.realtime.testkit.UserLimitsContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The compatibility kits of the broker and the stores, against a real Redis Cluster of three masters with a replica
 * each (one cluster for every kit here), with the cluster's key layout: hash-tagged keys, sharded pub/sub.
 */
class RedisClusterContractsTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    /** Each test gets its own prefix, so tests never see each other's keys. */
    private final String prefix = RedisExtension.uniquePrefix();
    /** The backends this test made; closed after it. Owned by the test thread. */
    private final List<RedisBackend> backends = new ArrayList<>();

    private RedisBackend backend(HistorySettings history) {
        RedisBackend backend = RedisBackend.builder(CLUSTER.url()).keyPrefix(prefix)
                .notificationHistory(history)
                .pingInterval(Duration.ofMillis(300))
                .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.2))
                .build();
        backends.add(backend);
        return backend;
    }

    private RedisBackend backend() {
        return backends.isEmpty() ? backend(HistorySettings.DEFAULTS) : backends.get(0);
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(RedisBackend::close);
    }

    @Test
    void aRoomsKeysAndChannelShareOneSlotThroughTheirHashTag() {
        RoomStore rooms = backend().roomStore();
        rooms.join("r1", "alice", "i1", 1_700_000_000_000L, 30_000).orElseThrow();
        rooms.applyTimer("r1", TimerCommand.START, 60_000, "alice", 1_700_000_000_000L).orElseThrow();
        rooms.replaceSettings("r1", "{}", 0, "alice").orElseThrow();
        String base = prefix + "{room:r1:updates}:";
        assertEquals(String.join("\n", base + "presence", base + "settings", base + "timer", base + "users",
                base + "version"), CLUSTER.keys(prefix + "*"));
        String slot = CLUSTER.command(base, "CLUSTER", "KEYSLOT", base + "timer");
        assertEquals(slot, CLUSTER.command(base, "CLUSTER", "KEYSLOT", prefix + "{room:r1:updates}"));
    }

    @Test
    void aNotificationFrameNamesItsChannelWithoutTheBraces() {
        var publication = backend().notificationHistory().publish("notifications:user:alice",
                "{\"type\":\"notification\",\"data\":{}}", null);
        assertTrue(publication.frame().contains("\"channel\":\"notifications:user:alice\""), publication.frame());
        assertEquals(String.join("\n", prefix + "{notifications:user:alice}:history",
                prefix + "{notifications:user:alice}:meta"), CLUSTER.keys(prefix + "*"));
    }

    @Test
    void theFunctionTakesTheDeclaredKeysOnAClusterAndRefusesTheChannelAlone() throws Exception {
        RedisBackend backend = RedisBackend.builder(CLUSTER.url()).keyPrefix(prefix).buildVerified();
        backends.add(backend);
        java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        backend.pubSub().subscribe("notifications:user:alice", (channel, payload) -> frames.add(payload))
                .ready().get(10, java.util.concurrent.TimeUnit.SECONDS);
        String channel = prefix + "{notifications:user:alice}";
        String frame = "{\"type\":\"notification\",\"data\":{}}";
        String reply = CLUSTER.command(channel, "FCALL", "realtime_publish", "2", channel + ":meta",
                channel + ":history", frame);
        assertTrue(reply.endsWith("\"channel\":\"notifications:user:alice\",\"offset\":1,\"epoch\":\""
                + reply.lines().findFirst().orElseThrow() + "\"}"), reply);
        assertEquals(reply.lines().reduce((a, b) -> b).orElseThrow(),
                frames.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        String refused = CLUSTER.command(channel, "FCALL", "realtime_publish", "1", channel, frame);
        assertTrue(refused.contains("realtime_publish: call it as FCALL realtime_publish 2 <channel>:meta "
                + "<channel>:history <frame>") && refused.contains("the channel in braces"), refused);
    }

    @Test
    void aRoomCommandRefusedWhileItsSlotMigratesRunsOnceTheKeysAreTogetherAgain() throws Exception {
        RoomStore rooms = backend().roomStore();
        rooms.join("moving", "alice", "i1", 1_700_000_000_000L, 30_000).orElseThrow(); // no timer, no settings yet
        String base = prefix + "{room:moving:updates}";
        RedisServer from = CLUSTER.cluster().masterOf(base);
        RedisServer to = CLUSTER.masters().stream().filter(master -> master != from).findFirst().orElseThrow();
        String slot = from.command("CLUSTER", "KEYSLOT", base);
        to.command("CLUSTER", "SETSLOT", slot, "IMPORTING", CLUSTER.cluster().nodeId(from));
        from.command("CLUSTER", "SETSLOT", slot, "MIGRATING", CLUSTER.cluster().nodeId(to));
        Thread migration = new Thread(() -> {
            // some keys exist and some not: Redis answers TRYAGAIN until the slot has moved
            Await.until("a script refused with TRYAGAIN", Duration.ofSeconds(10),
                    () -> from.command("INFO", "errorstats").contains("errorstat_TRYAGAIN"));
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(to.port()), "",
                    "0", "5000", "KEYS"));
            migrate.addAll(from.command("CLUSTER", "GETKEYSINSLOT", slot, "100").lines().toList());
            from.command(migrate.toArray(new String[0]));
            for (RedisServer master : CLUSTER.masters()) {
                master.command("CLUSTER", "SETSLOT", slot, "NODE", CLUSTER.cluster().nodeId(to));
            }
        });
        migration.start();
        var timer = rooms.applyTimer("moving", TimerCommand.START, 60_000, "alice", 1_700_000_000_000L);
        migration.join();
        assertEquals("running", timer.orElseThrow().status());
        assertEquals(to, CLUSTER.cluster().masterOf(base));
        assertEquals("running", rooms.timer("moving").status());
    }

    @Nested
    class Broker extends PubSubContractTest {
        @Override
        protected PubSub createPubSub() {
            return backend(HistorySettings.DEFAULTS).pubSub();
        }
    }

    @Nested
    class Rooms extends RoomStoreContractTest {
        @Override
        protected RoomStore createStore() {
            return backend(HistorySettings.DEFAULTS).roomStore();
        }
    }

    @Nested
    class Chats extends ChatStoreContractTest {
        @Override
        protected ChatStore createStore(int historySize) {
            return new RedisChatStore(backend().connection(), historySize);
        }

        @Override
        protected PubSub pubSub() {
            return backend().pubSub();
        }
    }

    @Nested
    class Notifications extends NotificationHistoryContractTest {
        @Override
        protected NotificationHistory createHistory(HistorySettings settings) {
            return backend(settings).notificationHistory();
        }

        @Override
        protected PubSub pubSub() {
            return backends.get(backends.size() - 1).pubSub();
        }
    }

    @Nested
    class Limits extends UserLimitsContractTest {
        @Override
        protected UserLimits createLimits() {
            return backend(HistorySettings.DEFAULTS).userLimits();
        }
    }
}

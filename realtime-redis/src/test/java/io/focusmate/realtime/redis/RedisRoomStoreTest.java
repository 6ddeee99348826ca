package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.rooms.PresenceChange;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.TimerCommand;
import io.focusmate.realtime.rooms.TimerState;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RoomStoreContractTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisRoomStoreTest extends RoomStoreContractTest {
    private static final long T0 = 1_700_000_000_000L;
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** Each test gets its own prefix, so tests never see each other's keys. */
    private String prefix;
    /** The broker of the store under test; owned by the test thread. */
    private RedisBackend broker;



    @Override
    protected RoomStore createStore() {
        prefix = RedisExtension.uniquePrefix();
        broker = newBroker(prefix);
        return broker.roomStore();
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private static RedisBackend newBroker(String prefix) {
        return RedisBackend.builder(RedisUrl.parse(REDIS.url())).keyPrefix(prefix).build();
    }

    @Test
    void everyKeyOfARoomCarriesThePrefix() {
        store.join("r1", "alice", "i1", T0, 30_000).orElseThrow();
        store.applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        store.replaceSettings("r1", "{}", 0, "alice").orElseThrow();
        List<String> keys = REDIS.command("KEYS", prefix + "*").lines().sorted().toList();
        assertEquals(List.of(prefix + "room:r1:presence", prefix + "room:r1:settings", prefix + "room:r1:timer",
                prefix + "room:r1:users", prefix + "room:r1:version"), keys);
        assertEquals("i1", REDIS.command("HGET", prefix + "room:r1:users", "alice"));
        assertEquals("i1|alice", REDIS.command("ZRANGE", prefix + "room:r1:presence", "0", "-1"));
        assertEquals(Long.toString(T0 + 30_000), REDIS.command("ZSCORE", prefix + "room:r1:presence", "i1|alice"));
    }

    @Test
    void presenceVanishesTenLeasesAfterTheLastRenewalAndTheRestAfterSevenDays() {
        store.join("r1", "alice", "i1", T0, 30_000).orElseThrow();
        store.applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        store.replaceSettings("r1", "{}", 0, "alice").orElseThrow();
        long presenceTtl = Long.parseLong(REDIS.command("PTTL", prefix + "room:r1:presence"));
        assertTrue(presenceTtl > 290_000 && presenceTtl <= 300_000, "ttl " + presenceTtl);
        long week = Duration.ofDays(7).toMillis();
        for (String part : List.of("version", "timer", "settings")) {
            long ttl = Long.parseLong(REDIS.command("PTTL", prefix + "room:r1:" + part));
            assertTrue(ttl > week - 60_000 && ttl <= week, part + " ttl " + ttl);
        }
    }

    @Test
    void twoInstancesOnOneRedisShareTheRoom() {
        try (RedisBackend otherBroker = newBroker(prefix)) {
            RoomStore other = otherBroker.roomStore();
            store.join("r1", "alice", "i1", T0, 30_000).orElseThrow();
            assertTrue(other.join("r1", "alice", "i2", T0, 30_000).isEmpty(), "alice is present via i1");
            assertEquals(List.of("alice"), other.presence("r1", T0).userIds());
            store.leave("r1", "alice", "i1", T0 + 1);
            List<PresenceChange> left = other.expire("r1", T0 + 30_000);
            assertEquals("alice", left.get(0).userId());
            assertEquals(left.get(0).version(), store.presence("r1", T0 + 30_000).version());
        }
    }

    @Test
    void scriptsStillRunAfterRedisForgetsThem() {
        store.join("r1", "alice", "i1", T0, 30_000).orElseThrow();
        assertEquals("OK", REDIS.command("SCRIPT", "FLUSH"));
        assertTrue(store.join("r1", "bob", "i1", T0, 30_000).isPresent());
        assertEquals(List.of("alice", "bob"), store.presence("r1", T0).userIds());
    }

    @Test
    void aLostCounterContinuesAboveTheStoredVersions() {
        TimerState timer = store.applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        REDIS.command("DEL", prefix + "room:r1:version");
        assertTrue(store.join("r1", "alice", "i1", T0, 30_000).orElseThrow().version() > timer.version());
    }

    @Test
    void versionsKeepRisingWhenRedisLosesEverything() {
        long before = store.applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow().version();
        REDIS.command("FLUSHALL");
        long after = store.applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow().version();
        assertTrue(after > before, "after a data loss, " + after + " must be above " + before
                + ", or gateways would drop new events as stale");
    }

    @Test
    void aRenewalReportsOnlyTheRoomsWithJoins() {
        store.join("r1", "alice", "i1", T0, 30_000).orElseThrow();
        Map<String, List<PresenceChange>> joins = store.renew("i1", Map.of("r1", Set.of("alice"),
                "r2", Set.of("bob")), T0 + 1, 30_000);
        assertEquals(Set.of("r2"), joins.keySet());
    }
}

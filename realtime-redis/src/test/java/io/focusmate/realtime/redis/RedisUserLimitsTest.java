package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.UserLimitsContractTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisUserLimitsTest extends UserLimitsContractTest {
    private static final long T0 = 1_700_000_000_000L;
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** Each test gets its own prefix, so tests never see each other's keys; owned by the test thread. */
    private String prefix;
    /** The backend of the limits under test; owned by the test thread. */
    private RedisBackend backend;

    @Override
    protected UserLimits createLimits() {
        prefix = RedisExtension.uniquePrefix();
        backend = RedisBackend.builder(RedisUrl.parse(REDIS.url())).keyPrefix(prefix).build();
        return backend.userLimits();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void renewingAThousandLeasesHoldsRedisForAtMostFiftyAtATime() {
        List<ConnectionLease> leases = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new ConnectionLease("notifications", "user-" + i, "i1|" + i)).toList();
        assertEquals(List.of(), limits.acquireConnections(leases, 5, T0, 15_000));
        long before = scriptCalls();
        assertEquals(List.of(), limits.renewConnections(leases, T0 + 1_000, 15_000));
        long calls = scriptCalls() - before;
        assertTrue(calls >= 20, "a script call runs alone in Redis, delaying every other client: " + calls + " calls");
        assertEquals(Long.toString(T0 + 16_000), REDIS.command("ZSCORE", prefix + "connections:notifications:user-999",
                "i1|999"));
    }

    /** Script calls Redis has run so far (this class's Redis serves only this class's tests, one at a time). */
    private static long scriptCalls() {
        return REDIS.command("INFO", "commandstats").lines()
                .filter(line -> line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")))
                .sum();
    }

    @Test
    void everyKeyCarriesThePrefixAndExpiresByItself() {
        assertTrue(limits.acquireConnection(new ConnectionLease("chat", "alice:1", "i1|7"), 5, T0, 15_000));
        assertTrue(limits.tryAcquire("chat_message", "alice:1", 5, 10, T0));
        List<String> keys = REDIS.command("KEYS", prefix + "*").lines().sorted().toList();
        assertEquals(List.of(prefix + "connections:chat:alice:1", prefix + "rate:chat_message:alice:1"), keys);
        assertEquals(Long.toString(T0 + 15_000),
                REDIS.command("ZSCORE", prefix + "connections:chat:alice:1", "i1|7"));
        long connectionsTtl = Long.parseLong(REDIS.command("PTTL", prefix + "connections:chat:alice:1"));
        assertTrue(connectionsTtl > 29_000 && connectionsTtl <= 30_000, "two leases: " + connectionsTtl);
        long bucketTtl = Long.parseLong(REDIS.command("PTTL", prefix + "rate:chat_message:alice:1"));
        assertTrue(bucketTtl > 2_900 && bucketTtl <= 3_000, "an empty bucket fills in 2 s, plus 1 s: " + bucketTtl);
    }
}

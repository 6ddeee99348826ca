package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The one-time move of a deployment's state from one Redis to a Redis Cluster, whose key names differ (hash tags:
 * see docs/protocol.md): rooms, chats and notification histories are copied under their cluster names with their
 * TTLs ({@code DUMP} and {@code RESTORE ... REPLACE}, so a second run copies again); connection leases, rate buckets,
 * idempotency and chat retry keys are left behind, since they expire within minutes and are rebuilt. The source is
 * only read ({@code SCAN}). Run it while no instance writes to the source. Not thread-safe; use once.
 *
 * <pre>{@code
 * ClusterMigration.Result copied = ClusterMigration.copy(RedisUrl.parse("redis://old:6379"),
 *         RedisUrl.parse("redis-cluster://node1:7000"), "prod:");
 * }</pre>
 */
public final class ClusterMigration {
    private static final int TIMEOUT_MILLIS = (int) Duration.ofSeconds(10).toMillis();

    private ClusterMigration() {
    }

    /**
     * What a migration did.
     *
     * @param copied keys copied under their cluster names
     * @param skipped keys with the prefix that were left behind (short-lived, or not the gateway's)
     */
    public record Result(long copied, long skipped) {
    }

    /**
     * Copies the state under {@code prefix} from one Redis to a Redis Cluster.
     *
     * @throws IllegalArgumentException when {@code from} is a cluster or {@code to} is not
     * @throws PubSubException naming the address when either side fails
     */
    public static Result copy(RedisUrl from, RedisUrl to, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (from.cluster() || !to.cluster()) {
            throw new IllegalArgumentException("the migration copies from one Redis (redis://) to a Redis Cluster "
                    + "(redis-cluster://)");
        }
        try (RedisConnection source = new RedisConnection(from, prefix, TIMEOUT_MILLIS);
             RedisConnection target = new RedisConnection(to, prefix, TIMEOUT_MILLIS)) {
            return source.call("to list and read the keys", () -> {
                try (Connection connection = ((RedisClient) source.client()).getPool().getResource()) {
                    return copy(new Jedis(connection), source.keys(), target);
                }
            });
        }
    }

    private static Result copy(Jedis source, KeyLayout layout, RedisConnection target) {
        ScanParams match = new ScanParams().match(escape(layout.prefix()) + "*").count(1000);
        long copied = 0;
        long skipped = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = source.scan(cursor, match);
            for (String key : page.getResult()) {
                String name = layout.clusterName(key);
                byte[] dump = name == null ? null : source.dump(key);
                if (dump == null) { // left behind, or gone since the scan
                    skipped++;
                    continue;
                }
                long ttl = Math.max(0, source.pttl(key)); // -1 (none) restores as no expiry
                byte[] cluster = name.getBytes(StandardCharsets.UTF_8);
                target.call("to take " + name, () -> target.client().restore(cluster, ttl, dump,
                        RestoreParams.restoreParams().replace()));
                copied++;
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new Result(copied, skipped);
    }

    /** A SCAN pattern that matches the prefix literally. */
    private static String escape(String prefix) {
        StringBuilder pattern = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.toString();
    }
}

package io.focusmate.realtime.launcher.cli;

import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.ClusterMigration;
import io.focusmate.realtime.redis.RedisUrl;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code migrate-to-cluster} command: copies a deployment's rooms, chats and notification histories from one
 * Redis to a Redis Cluster under the cluster's key names ({@link ClusterMigration}).
 *
 * <p>Exit codes: 0 copied, 2 a bad command line, 4 a Redis unreachable or failing (what was copied so far stays;
 * running the command again copies everything again).
 */
final class MigrateCommand {
    static final List<String> FLAGS = List.of("--from", "--to", "--redis-key-prefix", "--help");

    private MigrateCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
            throws ConfigException {
        Map<String, String> options = Options.parse(args, FLAGS);
        if (options.containsKey("--help")) {
            out.print(usage());
            return Exit.OK;
        }
        RedisUrl from = url(options, "--from", "redis://HOST:PORT, the Redis the instances used so far");
        RedisUrl to = url(options, "--to", "redis-cluster://HOST:PORT,..., the cluster to move to");
        String prefix = options.getOrDefault("--redis-key-prefix",
                env.getOrDefault(Setting.REDIS_KEY_PREFIX.env(), ""));
        ClusterMigration.Result result;
        try {
            result = ClusterMigration.copy(from, to, prefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        } catch (PubSubException e) {
            err.println("error: not copied: " + e.getMessage().replaceAll("\\s+", " "));
            return Exit.NOT_PUBLISHED;
        }
        out.println("copied " + result.copied() + " key(s) of rooms, chats and notification histories from " + from
                + " to " + to + (prefix.isEmpty() ? "" : " (key prefix \"" + prefix + "\")") + "; left behind "
                + result.skipped() + " (connection leases, rate buckets, idempotency and retry keys, and keys that "
                + "are not the gateway's)");
        return Exit.OK;
    }

    private static RedisUrl url(Map<String, String> options, String flag, String what) throws ConfigException {
        String value = options.get(flag);
        if (value == null || value.isBlank()) {
            throw new ConfigException("migrate-to-cluster needs " + flag + " " + what);
        }
        try {
            return RedisUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + ": " + e.getMessage());
        }
    }

    static String usage() {
        return """
                Usage: java -jar realtime-launcher.jar migrate-to-cluster --from redis://HOST:PORT \\
                         --to redis-cluster://HOST:PORT[,HOST:PORT...] [--redis-key-prefix PREFIX]

                Copies rooms, chats and notification histories from one Redis to a Redis Cluster, under the
                cluster's key names (the channel in braces, its hash tag), with their TTLs. The source is only
                read; keys already on the cluster are replaced, so running it again copies everything again.
                Connection leases, rate buckets, idempotency and chat retry keys are left behind: they expire
                within minutes and are rebuilt. Run it while no instance is running.

                  --from URL                the Redis the instances used so far (redis:// or rediss://)
                  --to URL                  the cluster (redis-cluster:// or rediss-cluster://)
                  --redis-key-prefix PREFIX the deployment's REDIS_KEY_PREFIX; default REDIS_KEY_PREFIX

                Exit codes: 0 copied, 2 bad command line, 4 a Redis unreachable or failing.
                """;
    }
}

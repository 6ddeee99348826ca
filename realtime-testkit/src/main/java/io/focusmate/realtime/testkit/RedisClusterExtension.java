package io.focusmate.realtime.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis Cluster (three masters, a replica each) per test class:
 * {@code @RegisterExtension static final RedisClusterExtension CLUSTER = ...}. Tests keep apart from each other with
 * {@link RedisExtension#uniquePrefix()}; a test that kills nodes needs a class (and a cluster) of its own.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {
    /** Set in beforeAll, read by the tests of the class. */
    private RedisCluster cluster;

    /** Register it on a static field with {@code @RegisterExtension}. */
    public RedisClusterExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (cluster == null) { // @Nested classes run beforeAll again: they share their outer class's cluster
            cluster = RedisCluster.start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getTestClass().map(c -> c.getEnclosingClass() == null).orElse(true)) {
            cluster.close();
            cluster = null;
        }
    }

    /** The cluster. */
    public RedisCluster cluster() {
        return cluster;
    }

    /** {@code redis-cluster://...}: every node as a seed. */
    public String url() {
        return cluster.url();
    }

    /** One command on the master of {@code key}'s slot, as redis-cli would send it. */
    public String command(String key, String... args) {
        return cluster.masterOf(key).command(args);
    }

    /** The keys that match a pattern, on every master, sorted, one per line. */
    public String keys(String pattern) {
        return cluster.nodes().stream().filter(RedisServer::isRunning)
                .filter(node -> node.command("ROLE").startsWith("master"))
                .flatMap(node -> Arrays.stream(node.command("KEYS", pattern).split("\n")))
                .filter(key -> !key.isEmpty()).sorted().collect(Collectors.joining("\n"));
    }

    /** The running masters. */
    public List<RedisServer> masters() {
        return cluster.nodes().stream().filter(RedisServer::isRunning)
                .filter(node -> node.command("ROLE").startsWith("master")).toList();
    }
}

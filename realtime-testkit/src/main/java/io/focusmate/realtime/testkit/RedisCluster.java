package io.focusmate.realtime.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster for tests: {@code masters} masters with {@code replicas} replicas each, every node a
 * {@code redis-server --cluster-enabled yes} on free ports (and its cluster bus port, the port plus 10000), joined
 * with {@code redis-cli --cluster create}. {@link #start} returns once every node sees every slot served
 * ({@code cluster_state:ok}). Kill a master with {@link RedisServer#stop()} on {@link #node}: its replica takes over
 * after the node timeout ({@value #NODE_TIMEOUT_MS} ms). Owned by the test thread.
 */
public final class RedisCluster implements AutoCloseable {
    /** How long a master may be unreachable before its replica is promoted (short, for tests). */
    static final int NODE_TIMEOUT_MS = 1000;

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code masters × (1 + replicas)} nodes, creates the cluster and waits until it serves every slot. */
    public static RedisCluster start(int masters, int replicas) {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                nodes.add(RedisServer.start(clusterPort(), List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                        String.valueOf(NODE_TIMEOUT_MS))));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.create(replicas);
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::stop);
            throw e;
        }
    }

    /** Three masters with one replica each: the smallest cluster that survives losing a master. */
    public static RedisCluster start() {
        return start(3, 1);
    }

    private void create(int replicas) {
        List<String> command = new ArrayList<>(List.of("--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
        redisCli("--cluster create", command);
    }

    /**
     * Moves slots from one master to another with {@code redis-cli --cluster reshard}, keys included: the source's
     * lowest {@code slots} slots, as redis-cli picks them.
     */
    public void reshard(RedisServer from, RedisServer to, int slots) {
        redisCli("--cluster reshard", List.of("--cluster", "reshard", "127.0.0.1:" + from.port(),
                "--cluster-from", nodeId(from), "--cluster-to", nodeId(to), "--cluster-slots", String.valueOf(slots),
                "--cluster-yes"));
    }

    /** A node's id in the cluster. */
    public String nodeId(RedisServer node) {
        return node.command("CLUSTER", "MYID");
    }

    private static void redisCli(String what, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(RedisServer.executable("REDIS_CLI", "redis-cli"));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + what + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli " + what, e);
        }
    }

    /** Waits until every running node reports {@code cluster_state:ok} and knows the same masters. */
    public void awaitHealthy(Duration timeout) {
        Await.until("the cluster to serve every slot on every node", timeout, () -> nodes.stream()
                .filter(RedisServer::isRunning)
                .allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok")));
    }

    /** Every node, masters and replicas, in start order (roles change on failover: see {@link #masterOf}). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code i} in start order. */
    public RedisServer node(int i) {
        return nodes.get(i);
    }

    /**
     * The node that is master of {@code key}'s slot now, as a running node sees it: a killed master stays the
     * answer until its replica has taken the slot over.
     */
    public RedisServer masterOf(String key) {
        RedisServer asked = nodes.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node is running"));
        long slot = Long.parseLong(asked.command("CLUSTER", "KEYSLOT", key));
        for (String line : asked.command("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated
                }
                long from = Long.parseLong(range[0]);
                long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(fields[1].replaceAll(".*:(\\d+)@.*", "$1"));
                    return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}: every node, as a seed list. */
    public String url() {
        StringBuilder url = new StringBuilder("redis-cluster://");
        for (int i = 0; i < nodes.size(); i++) {
            url.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        }
        return url.toString();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::stop);
    }

    /** A free port whose cluster bus port (plus 10000) is free too. */
    private static int clusterPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = RedisServer.freePort();
            if (port + 10000 <= 65535 && free(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

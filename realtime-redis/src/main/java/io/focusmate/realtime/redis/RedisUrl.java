package io.focusmate.realtime.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed Redis address, immutable: one server, {@code redis://[user:password@]host[:port][/db]} or
 * {@code rediss://} (TLS), or a Redis Cluster, {@code redis-cluster://[user:password@]host1[:port1],host2[:port2]...}
 * or {@code rediss-cluster://} (TLS), whose hosts are seeds: the client learns the other nodes from them. A cluster
 * has database 0 only. {@link #toString()} masks the password, so the value is safe to log.
 *
 * @param nodes the server, or the cluster's seed nodes (at least one); the port is 6379 by default
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param database the database number, 0 by default (always 0 for a cluster)
 * @param tls whether the scheme is {@code rediss} or {@code rediss-cluster}
 * @param cluster whether the scheme is {@code redis-cluster} or {@code rediss-cluster}
 */
public record RedisUrl(List<Node> nodes, String user, String password, int database, boolean tls, boolean cluster) {
    private static final String EXPECTED = "; expected redis://host:port (or rediss://, with optional user:password@"
            + " and /db), or redis-cluster://host1:port1,host2:port2 (or rediss-cluster://)";

    /**
     * One host and port.
     *
     * @param host the host name or address
     * @param port the port
     */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Checks the parts: at least one node, and database 0 for a cluster. */
    public RedisUrl {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a Redis URL has at least one host" + EXPECTED);
        }
        if (cluster && database != 0) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only" + EXPECTED);
        }
    }

    /** A single server's address. */
    public RedisUrl(String host, int port, String user, String password, int database, boolean tls) {
        this(List.of(new Node(Objects.requireNonNull(host), port)), user, password, database, tls, false);
    }

    /** The server's host, or the first seed's. */
    public String host() {
        return nodes.get(0).host();
    }

    /** The server's port, or the first seed's. */
    public int port() {
        return nodes.get(0).port();
    }

    /**
     * Parses a Redis URL.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and shows the expected form (the
     *     password is never echoed)
     */
    public static RedisUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the Redis URL is empty" + EXPECTED);
        }
        String trimmed = text.trim();
        int colon = trimmed.indexOf("://");
        String scheme = colon < 0 ? "" : trimmed.substring(0, colon);
        boolean cluster = scheme.equals("redis-cluster") || scheme.equals("rediss-cluster");
        if (!cluster && !scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("the Redis URL must start with redis://, rediss://, redis-cluster:// "
                    + "or rediss-cluster://" + EXPECTED);
        }
        String rest = trimmed.substring(colon + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        String info = at < 0 ? null : authority.substring(0, at);
        List<Node> nodes = new ArrayList<>();
        for (String hostPort : authority.substring(at + 1).split(",", -1)) {
            nodes.add(node(hostPort));
        }
        if (!cluster && nodes.size() > 1) {
            throw new IllegalArgumentException("the Redis URL lists several hosts: a cluster's URL starts with "
                    + "redis-cluster:// or rediss-cluster://" + EXPECTED);
        }
        String user = null;
        String password = null;
        if (info != null && !info.isEmpty()) {
            int split = info.indexOf(':');
            if (split < 0) {
                password = decode(info);
            } else {
                user = split == 0 ? null : decode(info.substring(0, split));
                password = decode(info.substring(split + 1));
            }
        }
        return new RedisUrl(nodes, user, password, database(path), scheme.startsWith("rediss"), cluster);
    }

    private static Node node(String hostPort) {
        URI uri;
        try {
            uri = new URI("redis://" + hostPort);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Redis URL is malformed" + EXPECTED);
        }
        if (uri.getHost() == null || uri.getHost().isBlank() || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Redis URL has no host (or a malformed port)" + EXPECTED);
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the Redis URL's port must be 1-65535" + EXPECTED);
        }
        String host = uri.getHost();
        return new Node(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }

    private static int database(String path) {
        if (path.length() <= 1) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the Redis URL's database must be a number, as in /0" + EXPECTED);
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String auth = password == null ? "" : (user == null ? "" : user) + ":***@";
        StringBuilder hosts = new StringBuilder();
        for (Node node : nodes) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(node);
        }
        String scheme = (tls ? "rediss" : "redis") + (cluster ? "-cluster" : "");
        return scheme + "://" + auth + hosts + (database == 0 ? "" : "/" + database);
    }
}

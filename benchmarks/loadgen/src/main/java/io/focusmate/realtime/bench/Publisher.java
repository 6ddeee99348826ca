package io.focusmate.realtime.bench;

import io.focusmate.realtime.redis.RedisUrl;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Publishes bench frames to Redis pipelined, on raw sockets: {@link #publish} writes the command at once and does
 * not wait for its reply, which a reader thread per socket takes and counts. A blocking client (one round trip per
 * message, on the core Redis shares) made each publication wait for Redis to be scheduled, and that delay was
 * latency charged to the server. For a plain {@code redis://host:port}: {@code PUBLISH} on one socket. For a
 * {@code redis-cluster://} seed list: {@code SPUBLISH} of the channel in braces (the gateway's cluster names), on a
 * socket per master, each command to the master of its slot as {@code CLUSTER SLOTS} said at the start. One
 * publishing thread.
 */
final class Publisher implements AutoCloseable {
    private static final byte[] CRLF = Bytes.ascii("\r\n");

    private final String prefix;
    private final boolean cluster;
    private final List<Link> links = new ArrayList<>();
    /** The link of each slot (all the same link on one Redis). */
    private final Link[] bySlot = new Link[16384];
    /** Replies read by the reader threads. */
    final AtomicLong replies = new AtomicLong();
    /** Error replies (or a lost connection) seen by the reader threads. */
    final AtomicLong errors = new AtomicLong();

    Publisher(String redisUrl, String prefix) throws IOException {
        RedisUrl url = RedisUrl.parse(redisUrl);
        if (url.password() != null || url.tls() || url.database() != 0) {
            throw new IllegalArgumentException("the load generator's publisher takes a plain redis://host:port or "
                    + "redis-cluster://host:port,...");
        }
        this.prefix = prefix;
        this.cluster = url.cluster();
        if (!cluster) {
            java.util.Arrays.fill(bySlot, open(url.host(), url.port()));
            return;
        }
        List<Object> slots;
        try (Jedis seed = new Jedis(url.host(), url.port())) {
            slots = seed.clusterSlots();
        }
        for (Object entry : slots) {
            List<?> range = (List<?>) entry;
            List<?> master = (List<?>) range.get(2);
            String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
            int port = (int) (long) (Long) master.get(1);
            Link link = links.stream().filter(l -> l.host.equals(host) && l.port == port).findFirst().orElse(null);
            if (link == null) {
                link = open(host, port);
            }
            for (int slot = (int) (long) (Long) range.get(0); slot <= (long) (Long) range.get(1); slot++) {
                bySlot[slot] = link;
            }
        }
    }

    private Link open(String host, int port) throws IOException {
        Link link = new Link(host, port);
        links.add(link);
        return link;
    }

    /**
     * Sends {@code PUBLISH prefix+channel payload} (or {@code SPUBLISH prefix{channel} payload} on a cluster) in one
     * write; returns at once (the reply is read by a reader thread).
     */
    void publish(String channel, String payload) throws IOException {
        String wire = cluster ? prefix + "{" + channel + "}" : prefix + channel;
        byte[] name = wire.getBytes(StandardCharsets.UTF_8);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        OutputStream out = bySlot[cluster ? JedisClusterCRC16.getSlot(wire) : 0].out;
        out.write(Bytes.ascii(cluster ? "*3\r\n$8\r\nSPUBLISH\r\n$" : "*3\r\n$7\r\nPUBLISH\r\n$"));
        out.write(Bytes.ascii(name.length + "\r\n"));
        out.write(name);
        out.write(Bytes.ascii("\r\n$" + body.length + "\r\n"));
        out.write(body);
        out.write(CRLF);
        out.flush();
    }

    /** Waits (with a deadline) until every publication so far has its reply. */
    void awaitReplies(long published, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (replies.get() < published && System.currentTimeMillis() < deadline) {
            Thread.sleep(1); // waiting for Redis's replies, with a deadline
        }
    }

    @Override
    public void close() throws IOException {
        for (Link link : links) {
            link.socket.close();
        }
    }

    /** One socket to one Redis, and the thread that reads its replies. */
    private final class Link {
        final String host;
        final int port;
        final Socket socket;
        final OutputStream out;

        Link(String host, int port) throws IOException {
            this.host = host;
            this.port = port;
            this.socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192); // a command's parts, then one flush
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            Thread reader = new Thread(() -> readReplies(in), "publisher-replies-" + port);
            reader.setDaemon(true);
            reader.start();
        }

        /** One line per reply (PUBLISH and SPUBLISH answer an integer, or an error). */
        private void readReplies(InputStream in) {
            try {
                int c;
                boolean lineStart = true;
                while ((c = in.read()) != -1) {
                    if (lineStart && c == '-') {
                        errors.incrementAndGet();
                    }
                    lineStart = c == '\n';
                    if (lineStart) {
                        replies.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // closed
            }
            if (!socket.isClosed()) {
                errors.incrementAndGet();
            }
        }
    }
}

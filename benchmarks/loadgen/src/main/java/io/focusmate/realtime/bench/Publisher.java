package io.focusmate.realtime.bench;

import io.focusmate.realtime.redis.RedisUrl;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes bench frames to Redis pipelined, on one raw socket: {@link #publish} writes the {@code PUBLISH} command
 * at once and does not wait for its reply, which a reader thread takes and counts. A blocking client (one round trip
 * per message, on the core Redis shares) made each publication wait for Redis to be scheduled, and that delay was
 * latency charged to the server. For a plain {@code redis://host:port} (the harness's Redis); one publishing thread.
 */
final class Publisher implements AutoCloseable {
    private static final byte[] CRLF = Bytes.ascii("\r\n");

    private final Socket socket;
    private final OutputStream out;
    private final String prefix;
    private final Thread reader;
    /** Replies read by the reader thread. */
    final AtomicLong replies = new AtomicLong();
    /** Error replies (or a lost connection) seen by the reader thread. */
    final AtomicLong errors = new AtomicLong();

    Publisher(String redisUrl, String prefix) throws IOException {
        RedisUrl url = RedisUrl.parse(redisUrl);
        if (url.password() != null || url.tls() || url.database() != 0) {
            throw new IllegalArgumentException("the load generator's publisher takes a plain redis://host:port");
        }
        this.socket = new Socket(url.host(), url.port());
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192); // a command's parts, then one flush
        this.prefix = prefix;
        InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.reader = new Thread(() -> readReplies(in), "publisher-replies");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Sends {@code PUBLISH prefix+channel payload} in one write; returns at once (the reply is read by the reader
     * thread).
     */
    void publish(String channel, String payload) throws IOException {
        byte[] name = (prefix + channel).getBytes(StandardCharsets.UTF_8);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        out.write(Bytes.ascii("*3\r\n$7\r\nPUBLISH\r\n$" + name.length + "\r\n"));
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

    /** The reader thread: one line per reply (PUBLISH answers an integer, or an error). */
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

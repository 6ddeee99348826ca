package io.focusmate.realtime.bench;

import io.focusmate.realtime.auth.JwtIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Scenario (d), the connection storm: opens new authenticated clients on a fixed schedule (each with its own JWT and
 * user, minted before the clock starts), holds them, and reports how many got their greeting frame, how many failed,
 * the achieved connects per second and the connect latency from each client's intended start time.
 *
 * <p>The storm's clients are raw: one thread, one NIO selector, a prebuilt HTTP upgrade request per client, and a
 * read of the 101 response and the first frame. A full WebSocket client (the JDK's costs about 1.5 ms of CPU per
 * handshake) would measure the load generator, not the server. Not thread-safe; one storm at a time.
 */
final class Storm {
    private static final byte[] CONNECTED = Bytes.ascii("\"type\":\"connected\"");

    private Storm() {
    }

    /** The outcome of one storm step. */
    record Result(double rate, int attempted, long connected, long failures, double seconds, Histogram latency) {
        String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"storm\",\"rate\":%.0f,\"attempted\":%d,"
                            + "\"connected\":%d,\"failures\":%d,\"seconds\":%.3f,\"connects_per_s\":%.1f,"
                            + "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}",
                    rate, attempted, connected, failures, seconds, connected / Math.max(seconds, 1e-9),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                    latency.getMaxValue() / 1000.0);
        }
    }

    /** One client's handshake in progress. */
    private static final class Attempt {
        final long intended;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(2048);

        Attempt(long intended, byte[] request) {
            this.intended = intended;
            this.out = ByteBuffer.wrap(request);
        }
    }

    /**
     * Options: url (comma-separated for several instances), rate, seconds, hosts, secret, first-user, warmup (a
     * number of clients opened at 1000/s before the measured storm and held with it, so that a JIT-compiled server
     * is measured rather than its first seconds).
     */
    static Result run(Map<String, String> o) throws IOException {
        String url = o.getOrDefault("url", "ws://127.0.0.1:8000");
        double rate = Double.parseDouble(o.getOrDefault("rate", "1000"));
        int count = (int) Math.round(rate * Double.parseDouble(o.getOrDefault("seconds", "2")));
        int hosts = Integer.parseInt(o.getOrDefault("hosts", "1"));
        int first = Integer.parseInt(o.getOrDefault("first-user", "0"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "0"));
        JwtIssuer issuer = new JwtIssuer(o.get("secret"), Clock.systemUTC());
        List<SocketChannel> held = new ArrayList<>();
        try {
            if (warmup > 0) {
                storm(url, hosts, "storm-warmup-", first, warmup, 1000, issuer, held);
            }
            LoadGen.measureStart();
            Result result = storm(url, hosts, "storm-user-", first, count, rate, issuer, held);
            System.out.println("MEASURE_END");
            System.out.flush();
            return result;
        } finally {
            for (SocketChannel channel : held) {
                channel.close();
            }
        }
    }

    /** One storm: {@code count} clients at {@code rate} per second, held open in {@code held}. */
    private static Result storm(String url, int hosts, String user, int first, int count, double rate,
                                JwtIssuer issuer, List<SocketChannel> held) throws IOException {
        InetSocketAddress[] targets = new InetSocketAddress[count];
        byte[][] requests = new byte[count][];
        for (int i = 0; i < count; i++) {
            URI uri = URI.create(LoadGen.spread(url, i, hosts));
            targets[i] = new InetSocketAddress(uri.getHost(), uri.getPort());
            requests[i] = Bytes.upgradeRequest("/api/v1/notifications/ws?token=" + issuer.issue(user + (first + i),
                    Duration.ofHours(2)), uri.getHost(), uri.getPort());
        }
        Histogram latencyMicros = new Histogram(3);
        long connected = 0;
        long failures = 0;
        long last = 0;
        try (Selector selector = Selector.open()) {
            long period = (long) (1_000_000_000L / rate);
            long start = System.nanoTime() + 1_000_000;
            long deadline = start + count * period + Duration.ofSeconds(30).toNanos();
            int next = 0;
            int pending = 0;
            while ((next < count || pending > 0) && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                for (; next < count && start + next * period <= now; next++) {
                    SocketChannel channel = SocketChannel.open();
                    held.add(channel);
                    channel.configureBlocking(false);
                    Attempt attempt = new Attempt(start + next * period, requests[next]);
                    requests[next] = null;
                    if (channel.connect(targets[next])) {
                        channel.register(selector, SelectionKey.OP_WRITE, attempt);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, attempt);
                    }
                    pending++;
                }
                long wait = next < count ? Math.max(1, (start + next * period - System.nanoTime()) / 1_000_000) : 100;
                selector.select(Math.min(wait, 100));
                for (SelectionKey key : selector.selectedKeys()) {
                    Attempt attempt = (Attempt) key.attachment();
                    int outcome;
                    try {
                        outcome = step(key, attempt);
                    } catch (IOException e) {
                        outcome = -1;
                    }
                    if (outcome != 0) {
                        key.interestOps(0);
                        key.attach(null);
                        pending--;
                        if (outcome > 0) {
                            long done = System.nanoTime();
                            connected++;
                            last = Math.max(last, done);
                            latencyMicros.recordValue(Math.max(0, (done - attempt.intended) / 1_000));
                        } else {
                            failures++;
                            key.channel().close();
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            failures += pending + (count - next);
            double seconds = (Math.max(last, start) - start) / 1e9;
            return new Result(rate, count, connected, failures, seconds, latencyMicros);
        }
    }

    /** Advances one handshake: 1 when the greeting arrived, -1 on failure, 0 while in progress. */
    private static int step(SelectionKey key, Attempt attempt) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_WRITE);
        }
        if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            channel.write(attempt.out);
            if (!attempt.out.hasRemaining()) {
                attempt.out = null;
                key.interestOps(SelectionKey.OP_READ);
            }
            return 0;
        }
        if (channel.read(attempt.in) < 0) {
            return -1;
        }
        return greeted(attempt.in);
    }

    /** 1 when the buffer holds a 101 response and a first text frame with the connected greeting; -1 for a refusal. */
    static int greeted(ByteBuffer in) {
        byte[] b = in.array();
        int n = in.position();
        if (n >= 12 && !Bytes.startsWith(b, 0, n, Bytes.SWITCHING_PROTOCOLS)) {
            return -1;
        }
        int body = Bytes.indexOf(b, 0, n, Bytes.END_OF_HEADERS);
        if (body < 0 || n < body + 6) {
            return n == b.length ? -1 : 0;
        }
        int frame = body + 4;
        int opcode = b[frame] & 0x0f;
        int length = b[frame + 1] & 0x7f;
        int header = 2;
        if (length == 126) {
            length = ((b[frame + 2] & 0xff) << 8) | (b[frame + 3] & 0xff);
            header = 4;
        }
        if (n < frame + header + length) {
            return n == b.length ? -1 : 0;
        }
        return opcode == 1 && Bytes.indexOf(b, frame + header, frame + header + length, CONNECTED) >= 0 ? 1 : -1;
    }
}

package io.focusmate.realtime.bench;

import io.focusmate.realtime.protocol.Channels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario (e), the publish path: how many notifications per second one path takes, and how long each publish call
 * takes, with {@code --concurrency} senders in a closed loop (each sends its next publication as soon as the answer
 * to the last one arrived). The paths:
 * <ul>
 *   <li>{@code http}: {@code POST /api/v1/users/{id}/notifications} on the gateway, keep-alive, one connection per
 *   sender, {@code Authorization: Bearer <--api-key>}; a publication counts when the answer is 202. When an answer
 *   says {@code Connection: close} (Grizzly ends a keep-alive connection after a number of requests), the sender
 *   opens a new connection within its next call, as an HTTP client library would;</li>
 *   <li>{@code fcall}: {@code FCALL realtime_publish 1 <prefix+channel> <frame>} straight to Redis (the Function the
 *   gateway loads at start, with its history settings);</li>
 *   <li>{@code publish}: a raw {@code PUBLISH <prefix+channel> <frame>}, the baseline with nothing stored.</li>
 * </ul>
 * The clients are raw blocking sockets with prebuilt requests (no HTTP or Redis client library), so that the load
 * generator spends a few microseconds per call and the server is what is measured.
 *
 * <p>Channels: {@code notifications:user:<--user-prefix><k>} for k in 0..{@code --users}-1. The warm-up sends
 * {@code --warmup} publications round-robin over the users (100 per user fills a default history, so that the
 * measured phase appends to full histories and trims one entry each time); the measured {@code --publications} go to
 * random users. Prints {@code MEASURE_START} and {@code MEASURE_END} around the measured phase.
 */
final class Publish {
    private static final byte[] CRLF = {'\r', '\n'};

    private Publish() {
    }

    /** The outcome of one run. */
    record Result(String path, int concurrency, long publications, long errors, long numbered, long reconnects,
                  double seconds, Histogram latency) {
        String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"publish\",\"path\":\"%s\",\"concurrency\":%d,"
                            + "\"publications\":%d,\"errors\":%d,\"numbered\":%d,\"reconnects\":%d,\"seconds\":%.3f,"
                            + "\"publications_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
                            + "\"max_ms\":%.3f}",
                    path, concurrency, publications, errors, numbered, reconnects, seconds,
                    publications / Math.max(seconds, 1e-9), latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, latency.getValueAtPercentile(99.9) / 1000.0,
                    latency.getMaxValue() / 1000.0);
        }
    }

    /**
     * Options: path (http, fcall, publish), url (the gateway, http path), redis (the Redis URL, fcall and publish),
     * prefix (REDIS_KEY_PREFIX), api-key, publications, warmup, concurrency, users, user-prefix.
     */
    static Result run(Map<String, String> o) throws Exception {
        String path = o.getOrDefault("path", "http");
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "4"));
        long publications = Long.parseLong(o.getOrDefault("publications", "1000"));
        long warmup = Long.parseLong(o.getOrDefault("warmup", "0"));
        int users = Integer.parseInt(o.getOrDefault("users", "100"));
        String userPrefix = o.getOrDefault("user-prefix", "pub-user-");
        URI target = URI.create(path.equals("http") ? o.getOrDefault("url", "http://127.0.0.1:8000").split(",")[0]
                : o.getOrDefault("redis", "redis://127.0.0.1:6379"));
        Call call = switch (path) {
            case "http" -> new HttpCall(target, o.get("api-key"));
            case "fcall", "publish" -> new RedisCall(path.equals("fcall"), o.getOrDefault("prefix", ""));
            default -> throw new IllegalArgumentException("unknown path " + path + " (http, fcall, publish)");
        };
        InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
        List<Wire> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) {
                sockets.add(new Wire(address));
            }
            if (warmup > 0) {
                phase(call, sockets, warmup, i -> userPrefix + (i % users), new Recorder(3));
            }
            for (Wire wire : sockets) {
                wire.reconnects = 0;
            }
            LoadGen.measureStart();
            Recorder latency = new Recorder(3);
            long start = System.nanoTime();
            long[] outcome = phase(call, sockets, publications,
                    i -> userPrefix + ThreadLocalRandom.current().nextInt(users), latency);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("MEASURE_END");
            System.out.flush();
            long reconnects = 0;
            for (Wire wire : sockets) {
                reconnects += wire.reconnects;
            }
            return new Result(path, concurrency, publications, outcome[0], outcome[1], reconnects, seconds,
                    latency.getIntervalHistogram());
        } finally {
            for (Wire wire : sockets) {
                wire.socket.close();
            }
        }
    }

    /** Which user publication i goes to. */
    private interface Users {
        String of(long i);
    }

    /** Sends {@code count} publications over the sockets, one sender thread each; returns {errors, numbered}. */
    private static long[] phase(Call call, List<Wire> sockets, long count, Users users, Recorder latency)
            throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong numbered = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Wire wire : sockets) {
            Thread sender = new Thread(() -> {
                try {
                    for (long i; (i = next.getAndIncrement()) < count; ) {
                        byte[] request = call.request(users.of(i), i);
                        long sent = System.nanoTime();
                        if (wire.closing) {
                            wire.reconnect(); // the server ended the keep-alive connection: a new one, in this call
                        }
                        wire.out.write(request);
                        wire.out.flush();
                        int answer = call.answer(wire);
                        latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1_000));
                        if (answer < 0) {
                            errors.incrementAndGet();
                        } else if (answer > 0) {
                            numbered.incrementAndGet();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "publisher");
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException("a sender failed: " + failures.get(0), failures.get(0));
        }
        return new long[] {errors.get(), numbered.get()};
    }

    /** One kind of publish call: its request bytes, and how to read its answer. */
    private interface Call {
        byte[] request(String user, long seq);

        /** Reads one answer: 1 published with an offset, 0 published without one, -1 refused. */
        int answer(Wire wire) throws IOException;
    }

    /** The gateway's HTTP publish API, HTTP/1.1 keep-alive. */
    private static final class HttpCall implements Call {
        private final String head;

        HttpCall(URI url, String apiKey) {
            if (apiKey == null) {
                throw new IllegalArgumentException("--api-key is required for the http path");
            }
            head = "Host: " + url.getHost() + ":" + url.getPort() + "\r\nAuthorization: Bearer " + apiKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: ";
        }

        @Override
        public byte[] request(String user, long seq) {
            String body = "{\"type\":\"system\",\"title\":\"Benchmark\",\"message\":\"publication " + seq + "\"}";
            return ("POST /api/v1/users/" + user + "/notifications HTTP/1.1\r\n" + head + body.length() + "\r\n\r\n"
                    + body).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int answer(Wire wire) throws IOException {
            String status = wire.line();
            int length = 0;
            for (String header; !(header = wire.line()).isEmpty(); ) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                } else if (header.regionMatches(true, 0, "connection:", 0, 11)
                        && header.substring(11).trim().equalsIgnoreCase("close")) {
                    wire.closing = true;
                }
            }
            String body = wire.bytes(length);
            if (!status.startsWith("HTTP/1.1 202")) {
                return -1;
            }
            return body.contains("\"offset\":") ? 1 : 0;
        }
    }

    /** FCALL realtime_publish or a raw PUBLISH, in RESP. */
    private static final class RedisCall implements Call {
        private final boolean fcall;
        private final String prefix;
        private final long millis = System.currentTimeMillis();

        RedisCall(boolean fcall, String prefix) {
            this.fcall = fcall;
            this.prefix = prefix;
        }

        @Override
        public byte[] request(String user, long seq) {
            // The frame the HTTP API would publish for the same notification, so that every path carries the same size.
            String frame = "{\"type\":\"notification\",\"data\":{\"notification_id\":\"notif-bench-" + seq
                    + "\",\"type\":\"system\",\"title\":\"Benchmark\",\"message\":\"publication " + seq
                    + "\",\"data\":{},\"created_at\":\"2026-12-02T12:00:00Z\"},\"ts\":" + (millis + seq) + "}";
            String key = prefix + Channels.user(user);
            List<String> args = fcall ? List.of("FCALL", "realtime_publish", "1", key, frame)
                    : List.of("PUBLISH", key, frame);
            StringBuilder resp = new StringBuilder("*").append(args.size()).append("\r\n");
            for (String arg : args) {
                resp.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
            }
            return resp.toString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int answer(Wire wire) throws IOException {
            String head = wire.line();
            switch (head.charAt(0)) {
                case '-':
                    System.err.println("redis: " + head);
                    return -1;
                case ':':
                    return 0; // PUBLISH: the number of subscribers
                case '*': {
                    // FCALL realtime_publish: [epoch, offset, duplicate, frame]
                    int n = Integer.parseInt(head.substring(1));
                    long offset = 0;
                    for (int k = 0; k < n; k++) {
                        String item = wire.line();
                        if (item.charAt(0) == '$') {
                            wire.bytes(Integer.parseInt(item.substring(1)));
                            wire.line();
                        } else if (k == 1 && item.charAt(0) == ':') {
                            offset = Long.parseLong(item.substring(1));
                        }
                    }
                    return offset > 0 ? 1 : 0;
                }
                default:
                    throw new IOException("unexpected Redis reply " + head);
            }
        }
    }

    /** A buffered blocking socket: lines and fixed-length bodies in, whole requests out. */
    private static final class Wire {
        private final InetSocketAddress address;
        private final byte[] buffer = new byte[16384];
        Socket socket;
        OutputStream out;
        private InputStream in;
        private int start;
        private int end;
        /** The last answer said {@code Connection: close}. */
        boolean closing;
        long reconnects;

        Wire(InetSocketAddress address) throws IOException {
            this.address = address;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            start = 0;
            end = 0;
            closing = false;
        }

        void reconnect() throws IOException {
            socket.close();
            reconnects++;
            connect();
        }

        private boolean fill() throws IOException {
            if (start == end) {
                start = 0;
                end = 0;
            } else if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                throw new IOException("the server closed the connection");
            }
            end += read;
            return true;
        }

        /** The next line, without its CRLF. */
        String line() throws IOException {
            int from = start;
            while (true) {
                for (int i = from; i + 1 < end; i++) {
                    if (buffer[i] == CRLF[0] && buffer[i + 1] == CRLF[1]) {
                        String line = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 2;
                        return line;
                    }
                }
                from = Math.max(start, end - 1);
                int before = start;
                fill();
                from -= before - start;
            }
        }

        /** The next n bytes. */
        String bytes(int n) throws IOException {
            StringBuilder text = new StringBuilder(n);
            while (n > 0) {
                if (start == end) {
                    fill();
                }
                int take = Math.min(n, end - start);
                text.append(new String(buffer, start, take, StandardCharsets.UTF_8));
                start += take;
                n -= take;
            }
            return text.toString();
        }
    }
}

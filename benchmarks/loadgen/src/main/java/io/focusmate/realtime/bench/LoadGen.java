package io.focusmate.realtime.bench;

import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.protocol.Channels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * The benchmark load generator. One process holds thousands of clients of one server (ours or the Node peer: both
 * speak the same frames), publishes {@code bench} frames through Redis on a fixed schedule, and prints one JSON line
 * of results: deliveries, losses and latency percentiles.
 *
 * <pre>
 * java -jar realtime-loadgen.jar fanout --url ws://127.0.0.1:8000 --connections 1000 --rate 100 --messages 500 \
 *      --redis redis://127.0.0.1:6379 --secret ... [--hosts 4] [--room bench] [--prefix ""]
 * java -jar realtime-loadgen.jar burst ... --burst K (as fanout, the publications sent K back to back, the bursts
 *      spaced so that --rate is the average)
 * java -jar realtime-loadgen.jar notify ... (one user per connection; each message to a random user)
 * java -jar realtime-loadgen.jar storm --url ... --rate 5000 --seconds 2 --secret ... (new clients at a fixed rate)
 * java -jar realtime-loadgen.jar hold --url ... --connections N --secret ... (prints READY n failures, holds)
 * java -jar realtime-loadgen.jar publish --path http|fcall|publish --url http://127.0.0.1:8000 --api-key K \
 *      --redis redis://... --publications N [--warmup W] [--concurrency C] [--users U] (see {@link Publish})
 * </pre>
 * {@code --url} may list several instances, comma-separated (scenario (c): two instances on one Redis).
 * {@code --hosts k} spreads connections over destination addresses 127.0.0.1..k (the server must bind 0.0.0.0):
 * each destination has its own ephemeral port space.
 */
public final class LoadGen {
    private LoadGen() {
    }

    /** Runs a scenario from the command line. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGen fanout|notify|storm|hold|publish --url ws://host:port --connections N "
                    + "--rate R "
                    + "--messages M --redis redis://... --secret S [--hosts K] [--room R] [--prefix P]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (args[0].equals("hold")) {
            hold(options);
            return;
        }
        if (args[0].equals("publish")) {
            Publish.Result published = Publish.run(options);
            System.out.println(published.json());
            System.exit(published.errors() == 0 ? 0 : 1);
        }
        if (args[0].equals("storm")) {
            Storm.Result storm = Storm.run(options);
            System.out.println(storm.json());
            System.exit(0);
        }
        Result result = run(args[0], options);
        System.out.println(result.json());
        System.exit(result.lost() == 0 && result.failures() == 0 && result.outOfOrder() == 0 ? 0 : 1);
    }

    /** The outcome of one run. */
    record Result(String scenario, int connections, long failures, long messages, long expected, long deliveries,
                  long outOfOrder, double seconds, Histogram latency) {
        long lost() {
            return Math.max(0, expected - deliveries);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"connections\":%d,\"failures\":%d,"
                            + "\"messages\":%d,\"expected\":%d,\"deliveries\":%d,\"lost\":%d,\"seconds\":%.3f,"
                            + "\"deliveries_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
                            + "\"max_ms\":%.3f,\"out_of_order\":%d}",
                    scenario, connections, failures, messages, expected, deliveries, lost(), seconds,
                    deliveries / Math.max(seconds, 1e-9), ms(50), ms(99), ms(99.9), latency.getMaxValue() / 1000.0,
                    outOfOrder);
        }

        private double ms(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /**
     * Scenario (a): opens the clients (authenticated, on the notifications endpoint), prints {@code READY n}, and
     * holds them until standard input closes, so that the harness can measure the idle server.
     */
    static void hold(Map<String, String> o) throws Exception {
        int connections = Integer.parseInt(o.getOrDefault("connections", "100"));
        int hosts = Integer.parseInt(o.getOrDefault("hosts", "1"));
        int first = Integer.parseInt(o.getOrDefault("first-user", "0"));
        String url = o.getOrDefault("url", "ws://127.0.0.1:8000");
        JwtIssuer issuer = new JwtIssuer(o.get("secret"), Clock.systemUTC());
        try (Fleet fleet = new Fleet()) {
            fleet.open(connections, 256, i -> spread(url, i, hosts) + "/api/v1/notifications/ws?token="
                    + issuer.issue("hold-user-" + (first + i), Duration.ofHours(2)), Duration.ofMinutes(10));
            System.out.println("READY " + fleet.greeted.get() + " " + fleet.failures.get());
            System.out.flush();
            while (System.in.read() != -1) {
                // hold until the harness closes our input
            }
        }
    }

    static Result run(String scenario, Map<String, String> o) throws Exception {
        String url = o.getOrDefault("url", "ws://127.0.0.1:8000");
        int connections = Integer.parseInt(o.getOrDefault("connections", "100"));
        int hosts = Integer.parseInt(o.getOrDefault("hosts", "1"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "100"));
        long messages = Long.parseLong(o.getOrDefault("messages", "100"));
        String room = o.getOrDefault("room", "bench");
        JwtIssuer issuer = new JwtIssuer(o.get("secret"), Clock.systemUTC());
        boolean fanout = scenario.equals("fanout") || scenario.equals("burst");
        int burst = scenario.equals("burst") ? Integer.parseInt(o.getOrDefault("burst", "10")) : 1;
        if (!fanout && !scenario.equals("notify")) {
            throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        String[] tokens = new String[connections];
        for (int i = 0; i < connections; i++) {
            tokens[i] = issuer.issue("bench-user-" + i, Duration.ofHours(2));
        }
        try (Fleet fleet = new Fleet();
             Publisher redis = new Publisher(o.getOrDefault("redis", "redis://127.0.0.1:6379"),
                     o.getOrDefault("prefix", ""))) {
            fleet.open(connections, 256, i -> {
                String base = spread(url, i, hosts);
                String path = fanout ? "/ws/room/" + room : "/api/v1/notifications/ws";
                return base + path + "?token=" + tokens[i];
            }, Duration.ofMinutes(5));
            int connected = (int) fleet.greeted.get();
            long[] seq = {0};
            java.util.function.LongConsumer publish = intended -> {
                String channel = fanout ? Channels.room(room)
                        : Channels.user("bench-user-" + ThreadLocalRandom.current().nextInt(connections));
                try {
                    redis.publish(channel, BenchFrame.of(seq[0]++, intended));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            long warmup = Long.parseLong(o.getOrDefault("warmup", "0"));
            if (warmup > 0) {
                Schedule.runBursts(warmup, rate, burst, publish);
                long warmExpected = fanout ? warmup * connected : warmup;
                long warmDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (fleet.deliveries.get() < warmExpected && System.nanoTime() < warmDeadline) {
                    Thread.sleep(5); // letting the warm-up drain, with a deadline
                }
            }
            fleet.deliveries.set(0);
            fleet.latencyMicros.reset();
            measureStart();
            long start = System.nanoTime();
            String timeline = System.getenv("BENCH_TIMELINE");
            fleet.timelineFrom = timeline == null ? 0 : start;
            Schedule.runBursts(messages, rate, burst, publish);
            long expected = fanout ? messages * connected : messages;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fleet.deliveries.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5); // draining the tail of deliveries, with a deadline
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            redis.awaitReplies(seq[0], 10_000);
            if (redis.errors.get() > 0 || redis.replies.get() < seq[0]) {
                throw new IllegalStateException("Redis refused or did not answer publications: " + redis.errors.get()
                        + " errors, " + redis.replies.get() + " replies of " + seq[0]);
            }
            if (timeline != null) {
                writeTimeline(timeline, fleet, start);
            }
            System.out.println("MEASURE_END");
            System.out.flush();
            return new Result(scenario, connected, fleet.failures.get(), messages, expected,
                    fleet.deliveries.get(), fleet.outOfOrder.get(), seconds, fleet.latencyMicros.getIntervalHistogram());
        }
    }

    /**
     * Collects this process's garbage, then tells the harness that the measured phase starts: with the Serial
     * collector and a young generation larger than the phase allocates (run.py's LOADGEN_JVM), no pause of the load
     * generator's own falls inside the measured phase and shows as the server's latency.
     */
    static void measureStart() {
        System.gc();
        System.out.println("MEASURE_START");
        System.out.flush();
    }

    /**
     * Appends the measured phase's worst latency per 100 ms of intended send time to {@code file}: a line per tick,
     * the wall-clock time the tick started (epoch ms, to match server logs and JFR) and the worst latency in ms.
     */
    static void writeTimeline(String file, Fleet fleet, long startNanos) throws IOException {
        long wallStart = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fleet.worstPerTick.length(); i++) {
            long worst = fleet.worstPerTick.get(i);
            if (worst > 0) {
                out.append(wallStart + i * 100L).append(' ').append(worst / 1000.0).append('\n');
            }
        }
        Files.writeString(Path.of(file), out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Client i's server address. {@code url} may list several instances, comma-separated: client i uses instance
     * {@code i % instances}. On loopback, clients of one instance are spread over destinations 127.0.0.1..hosts, each
     * with its own ephemeral port space.
     */
    static String spread(String url, int i, int hosts) {
        String[] urls = url.split(",");
        String chosen = urls[i % urls.length].trim();
        if (hosts <= 1 || !chosen.contains("127.0.0.1")) {
            return chosen;
        }
        return chosen.replace("127.0.0.1", "127.0.0." + (1 + (i / urls.length) % hosts));
    }
}

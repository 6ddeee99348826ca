package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's finding, replayed against the jar: a process limited to 1,024 open files, 1,100 half-sent requests. The
 * server must not spin at the limit, must say once a second what to fix, and must let a legitimate client in within
 * HANDSHAKE_TIMEOUT (plus a margin), answering /health as well.
 */
@Timeout(90)
class OpenFileLimitIT {
    private static final Path JAR = Path.of("target", "realtime-launcher.jar");
    private static final int HALF_SENT = 1_100;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path home;

    private final List<Socket> sockets = new ArrayList<>();
    private Process server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void halfSentRequestsAtTheOpenFileLimitNeitherSpinNorLockOutALegitimateClient() throws Exception {
        int port = RedisServer.freePort();
        Path log = home.resolve("server.log");
        server = start(port, log);
        long pid = server.pid();
        Await.until("the server to listen", Duration.ofSeconds(30), () -> read(log).contains("Listening on"));

        for (int i = 0; i < HALF_SENT; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            sockets.add(socket);
            socket.getOutputStream().write("GET /api/v1/notifications/ws?tok".getBytes(StandardCharsets.US_ASCII));
        }
        Await.until("the server to reach its open-file limit", Duration.ofSeconds(10), () -> openFiles(pid) >= 1_020);

        long clientStart = System.nanoTime();
        CompletableFuture<WsClient> legitimate = CompletableFuture.supplyAsync(() -> WsClient.connect(
                "ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token=" + TestTokens.token("alice")));

        double cores = cpuCores(pid, Duration.ofMillis(1_000));
        System.out.printf("at the open-file limit the server used %.2f of a core%n", cores);
        assertTrue(cores < 0.3, "the server spins at the open-file limit: " + cores + " of a core");

        WsClient client = legitimate.get(20, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - clientStart);
        assertEquals("connected", client.next().path("type").asText());
        System.out.println("a legitimate client got in after " + waitedMs + " ms (HANDSHAKE_TIMEOUT 3000 ms)");
        assertTrue(waitedMs <= HANDSHAKE_TIMEOUT.toMillis() + 1_500, "locked out for " + waitedMs + " ms");
        assertEquals(200, healthStatus(port), "/health answers");
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText());

        List<String> lines = read(log).lines().filter(l -> l.startsWith("20") && l.contains("Open-file limit reached"))
                .toList();
        List<Instant> limitLines = lines.stream()
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' ')))).toList();
        System.out.println("open-file limit lines: " + limitLines.size());
        assertTrue(!limitLines.isEmpty(), "the condition is logged:\n" + read(log));
        for (int i = 1; i < limitLines.size(); i++) {
            Duration gap = Duration.between(limitLines.get(i - 1), limitLines.get(i));
            assertTrue(gap.toMillis() >= 990, "two limit lines " + gap.toMillis() + " ms apart");
        }
        String line = lines.get(0);
        assertTrue(line.contains("ulimit -n 1024") && !line.contains("Exception"), line);
    }

    private Process start(int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "ulimit -n 1024 && exec \"$0\" -jar \"$1\"", java, JAR.toString());
        builder.environment().remove("REDIS_URL");
        builder.environment().put("XDG_CONFIG_HOME", home.toString());
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("JWT_SECRET_KEY", TestTokens.SECRET);
        builder.environment().put("HANDSHAKE_TIMEOUT", HANDSHAKE_TIMEOUT.toSeconds() + "s");
        builder.environment().put("TZ", "UTC");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** The server's open file descriptors. */
    private static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The CPU the process used over {@code interval}, in cores (user and system time from /proc/PID/stat). */
    private static double cpuCores(long pid, Duration interval) throws IOException {
        long ticksBefore = cpuTicks(pid);
        long start = System.nanoTime();
        long until = start + interval.toNanos();
        Await.until("the measuring interval to pass", interval.plusSeconds(5), () -> System.nanoTime() > until);
        long ticks = cpuTicks(pid) - ticksBefore;
        double seconds = (System.nanoTime() - start) / 1e9;
        return ticks / 100.0 / seconds; // USER_HZ is 100 on Linux
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
    }

    private static int healthStatus(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

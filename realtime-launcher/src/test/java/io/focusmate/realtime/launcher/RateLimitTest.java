package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inbound frames per connection: a token bucket (20/s, bursts of 40 by default), RATE_LIMITED, and 4008 for floods. */
@Timeout(90)
class RateLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PING = RawWebSocket.frame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    private TestInstance gateway;

    @BeforeEach
    void start() {
        gateway = TestInstance.inMemory();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private RawWebSocket connect(String user) throws IOException {
        RawWebSocket socket = RawWebSocket.connect(gateway.notificationsUrl(TestTokens.token(user)));
        assertEquals("connected", JSON.readTree(socket.nextFrame().text()).path("type").asText());
        return socket;
    }

    private static byte[] pings(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(PING.length * count);
        for (int i = 0; i < count; i++) {
            bytes.writeBytes(PING);
        }
        return bytes.toByteArray();
    }

    /** Counts of what a socket got until it closed or went quiet. */
    private record Answers(int pongs, int rateLimited, int closeCode) {
    }

    private static Answers readAll(RawWebSocket socket, Duration quiet) throws IOException {
        int pongs = 0;
        int limited = 0;
        socket.readTimeout(quiet);
        try {
            while (true) {
                RawWebSocket.Frame frame = socket.nextFrame();
                if (frame == null) {
                    return new Answers(pongs, limited, -1);
                }
                if (frame.opcode() == 0x8) {
                    return new Answers(pongs, limited, frame.closeCode());
                }
                JsonNode json = JSON.readTree(frame.text());
                if (json.path("type").asText().equals("pong")) {
                    pongs++;
                } else if (json.path("code").asText().equals("RATE_LIMITED")) {
                    limited++;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return new Answers(pongs, limited, 0);
        }
    }

    @Test
    void twoThousandPingsInABurstGetRateLimitedAndAtMostBurstPlusRateTimesDurationPongs() throws IOException {
        RawWebSocket flooder = connect("burster");
        long start = System.nanoTime();
        flooder.sendRaw(pings(2_000));
        Answers answers = readAll(flooder, Duration.ofSeconds(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(answers.rateLimited() >= 1, "no RATE_LIMITED: " + answers);
        assertTrue(answers.pongs() <= 40 + 20 * seconds + 1, answers + " in " + seconds + " s");
        assertTrue(answers.pongs() >= 40, "the burst was not honoured: " + answers);
        assertEquals(4008, answers.closeCode(), "2,000 frames at once is ten times the rate for a second");
    }

    @Test
    void aBurstOverTheBucketButUnderTheFloodLineIsAnsweredWithRateLimitedAndTheConnectionStaysOpen() throws Exception {
        RawWebSocket client = connect("eager");
        client.sendRaw(pings(100));
        Answers answers = readAll(client, Duration.ofSeconds(1));
        assertEquals(0, answers.closeCode(), "closed: " + answers);
        assertTrue(answers.pongs() >= 40 && answers.pongs() <= 45, answers.toString());
        // A refusal is answered at the rate and burst of the frames themselves; beyond that it is dropped quietly.
        assertTrue(answers.rateLimited() >= 40 && answers.pongs() + answers.rateLimited() <= 100, answers.toString());
        client.readTimeout(Duration.ofSeconds(10));
        client.sendText("{\"type\":\"ping\"}");
        assertEquals("pong", JSON.readTree(client.nextFrame().text()).path("type").asText());
    }

    @Test
    void aSustainedFloodIsClosedWith4008RateLimitExceeded() throws Exception {
        RawWebSocket flooder = connect("flooder");
        AtomicBoolean stop = new AtomicBoolean();
        // 1,000 frames a second, four times the flood line, in small paced writes: a client that floods as fast as
        // TCP allows may find its socket reset before it reads the close frame, as the server closes with its
        // data unread.
        Thread sender = new Thread(() -> {
            byte[] twenty = pings(20);
            try {
                while (!stop.get()) {
                    flooder.sendRaw(twenty);
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            } catch (IOException e) {
                // the server closed the socket
            }
        });
        sender.start();
        try {
            RawWebSocket.Frame close = flooder.awaitClose();
            assertEquals(4008, close.closeCode());
            assertEquals("Rate limit exceeded", close.closeReason());
        } finally {
            stop.set(true);
            sender.join();
        }
    }

    @Test
    void burstsOfTwoThousandPingsDoNotSlowAnotherClientsPings() throws Exception {
        WsClient bystander = gateway.connect("bystander");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean flooding = new AtomicBoolean();
        AtomicInteger closedWith4008 = new AtomicInteger();
        Thread flooder = new Thread(() -> flood("flooder", stop, flooding, closedWith4008));
        flooder.start();
        // Quiet and flooded blocks alternate, so that both see the same background load of a shared machine.
        List<Long> quiet = new ArrayList<>();
        List<Long> flooded = new ArrayList<>();
        try {
            for (int block = 0; block < 5; block++) {
                flooding.set(false);
                quiet.addAll(roundTrips(bystander, 40));
                int before = closedWith4008.get();
                flooding.set(true);
                Await.until("a flood to be closed", () -> closedWith4008.get() > before);
                flooded.addAll(roundTrips(bystander, 40));
            }
        } finally {
            stop.set(true);
            flooder.join();
        }
        // The 90th percentile: with 200 samples a side, a p99 is the second-slowest round trip, one JIT compilation
        // or GC pause of a shared 2-core machine (quiet p99s of 5 to 14 ms were seen), and failed a CI run on noise.
        long idle = percentile(quiet, 0.90);
        long during = percentile(flooded, 0.90);
        System.out.println("ping p90: " + idle / 1000 + " us quiet, " + during / 1000 + " us during the floods");
        // Twice the quiet p90, and at least 2 ms of slack: a 2-core machine runs the flooder and the test too.
        long allowed = Math.max(2 * idle, idle + TimeUnit.MILLISECONDS.toNanos(2));
        assertTrue(during <= allowed, "ping p90 " + during / 1000 + " us during the floods, " + idle / 1000
                + " us quiet (" + closedWith4008 + " floods closed with 4008)");
    }

    /**
     * While {@code flooding}, sends bursts of 2,000 pings from one user, ten a second, each on a new connection once
     * the last was closed, until told to stop.
     */
    private void flood(String user, AtomicBoolean stop, AtomicBoolean flooding, AtomicInteger closedWith4008) {
        byte[] burst = pings(2_000);
        while (!stop.get()) {
            if (flooding.get()) {
                try (RawWebSocket socket = connect(user)) {
                    socket.sendRaw(burst);
                    RawWebSocket.Frame close = socket.awaitClose();
                    if (close != null && close.closeCode() == 4008) {
                        closedWith4008.incrementAndGet();
                    }
                } catch (IOException e) {
                    return;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static long percentile(List<Long> times, double fraction) {
        List<Long> sorted = new ArrayList<>(times);
        java.util.Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * fraction) - 1);
    }

    /** {@code count} JSON ping round trips, in ns, paced at 18 a second (under the rate limit). */
    private static List<Long> roundTrips(WsClient client, int count) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            client.send("{\"type\":\"ping\"}");
            assertEquals("pong", client.next().path("type").asText());
            times.add(System.nanoTime() - start);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(55));
        }
        return times;
    }
}

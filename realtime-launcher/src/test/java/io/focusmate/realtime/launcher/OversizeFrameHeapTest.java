package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's acceptance: a flood of refused handshakes leaves the heap where it was, and 100 authenticated sockets, each inside a frame that declares 2^62 bytes and streaming 1 MiB
 * of it, hold less than 20 MB of heap in total. The server runs in this JVM, so the heap measured after a full GC is
 * the server's (the clients hold one shared 1 MiB array and 100 sockets). Without the frame guard Tyrus buffered each
 * frame's data up to its 4 MiB incoming buffer: about 100 MB here.
 */
@Timeout(120)
class OversizeFrameHeapTest {
    private static final int SOCKETS = 100;
    private static final long BOUND_BYTES = 20L << 20;

    private final TestInstance instance = TestInstance.start(Map.of());
    private final List<RawWebSocket> sockets = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (RawWebSocket socket : sockets) {
            socket.close();
        }
        instance.close();
    }

    @Test
    void aHundredAuthenticatedSocketsInsideFramesDeclaringTwoToTheSixtySecondBytesHoldUnderTwentyMegabytesOfHeap()
            throws IOException {
        byte[] data = new byte[1 << 20];
        long before = heapAfterGc();
        for (int i = 0; i < SOCKETS; i++) {
            RawWebSocket socket = RawWebSocket.connect(instance.notificationsUrl(TestTokens.token("user" + i)));
            sockets.add(socket);
            socket.sendRaw(RawWebSocket.headerDeclaring(0x81, 1L << 62));
            socket.sendRaw(data); // blocks until the server has read it, unless the server closed the socket first
        }
        long held = heapAfterGc() - before;
        System.out.printf("%d sockets inside 2^62-byte frames (1 MiB sent each): %.1f MB of heap held%n", SOCKETS,
                held / 1e6);
        assertTrue(held < BOUND_BYTES, (held >> 20) + " MiB of heap held for " + SOCKETS + " sockets");
        for (RawWebSocket socket : sockets) {
            assertEquals(1009, socket.awaitCloseCode(), "refused from the frame's header");
        }
    }

    @Test
    void aFloodOfRefusedHandshakesLeavesTheHeapWhereItWas() throws IOException {
        refuseAll(200); // warm-up: classes, pools and caches that a first refusal fills once
        long before = heapAfterGc();
        refuseAll(2_000);
        long grown = heapAfterGc() - before;
        System.out.printf("2,000 refused tokens and 2,000 oversize heads: the heap grew by %.2f MB%n", grown / 1e6);
        assertTrue(grown < (4L << 20), "the heap grew by " + (grown >> 10) + " KiB");
    }

    /** Refuses {@code count} handshakes for a bad token and as many for a head over 8 KB. */
    private void refuseAll(int count) throws IOException {
        String forged = TestTokens.token("mallory").replaceAll(".$", "A").replaceAll(".(?=.$)", "B");
        String oversize = "GET /api/v1/notifications/ws HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(9_000)
                + "\r\n\r\n";
        for (int i = 0; i < count; i++) {
            try (RawWebSocket refused = RawWebSocket.connect(instance.notificationsUrl(forged + i % 10))) {
                assertEquals(1008, refused.awaitCloseCode());
            }
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", instance.launcher().port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(oversize.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String status = new String(socket.getInputStream().readNBytes(12),
                        java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 431", status);
            }
        }
    }

    /** The heap in use after full collections (repeated until the number settles). */
    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - now) < (256 << 10)) {
                return now;
            }
            used = now;
        }
        return used;
    }

}

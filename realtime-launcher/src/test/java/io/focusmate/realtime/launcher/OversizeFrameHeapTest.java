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
 * Issue 11's acceptance: 100 authenticated sockets, each inside a frame that declares 2^62 bytes and streaming 1 MiB
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
            socket.sendRaw(header(1L << 62));
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

    /** A masked text frame header with a 64-bit length, and its masking key. */
    private static byte[] header(long length) {
        byte[] header = new byte[14];
        header[0] = (byte) 0x81;
        header[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        header[10] = 1;
        header[11] = 2;
        header[12] = 3;
        header[13] = 4;
        return header;
    }
}

package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HANDSHAKE_TIMEOUT: a socket that sent half a request, or nothing, is closed after it; a WebSocket is not, however
 * quiet (the gateway's own heartbeat and idle timeout watch it).
 */
@Timeout(60)
class HandshakeTimeoutTest {
    private final TestInstance instance = TestInstance.start(Map.of("HANDSHAKE_TIMEOUT", "1s",
            "HEARTBEAT_INTERVAL", "0", "IDLE_TIMEOUT", "60s"));

    @AfterEach
    void close() {
        instance.close();
    }

    @Test
    void halfSentRequestsAreClosedAfterTheHandshakeTimeout() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket("127.0.0.1", instance.launcher().port());
                socket.setSoTimeout(10_000);
                String half = i % 2 == 0 ? "GET /api/v1/notifications/ws?tok" : "";
                socket.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            long start = System.nanoTime();
            for (Socket socket : sockets) {
                InputStream in = socket.getInputStream();
                assertEquals(-1, readToEnd(in), "the server closed the half-sent socket");
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "closed after about the 1 s timeout, not " + ms + " ms");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aQuietWebSocketOutlivesTheHandshakeTimeout() throws InterruptedException {
        WsClient quiet = instance.connect("quiet");
        long until = System.nanoTime() + Duration.ofMillis(3_000).toNanos();
        Await.until("three handshake timeouts to pass", Duration.ofSeconds(10), () -> System.nanoTime() > until);
        quiet.send("{\"type\":\"ping\"}");
        assertEquals("pong", quiet.next().path("type").asText(), "the quiet WebSocket is still open");
    }

    /** Reads until the end of the stream; -1 then, or the exception's message when the socket was reset. */
    private static int readToEnd(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // an error page, if any
            }
            return -1;
        } catch (java.net.SocketException e) {
            return -1; // reset: closed as well
        }
    }
}

package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ALLOWED_ORIGINS against cross-site WebSocket hijacking: raw handshakes with and without an Origin header. */
@Timeout(60)
class OriginsTest {
    private final TestInstance instance = TestInstance.start(
            Map.of("ALLOWED_ORIGINS", "https://app.example.com,https://*.example.org"));

    @AfterEach
    void close() {
        instance.close();
    }

    @Test
    void anAllowedOriginUpgrades() throws IOException {
        assertEquals("HTTP/1.1 101", statusOf(handshake("https://app.example.com")));
        assertEquals("HTTP/1.1 101", statusOf(handshake("https://team.example.org")));
    }

    @Test
    void aForeignOriginGets403AndNoConnection() throws IOException {
        for (String origin : new String[] {"https://evil.example", "null", "https://example.org"}) {
            String response = handshake(origin);
            assertEquals("HTTP/1.1 403", statusOf(response), origin + ": " + response);
        }
        assertEquals(0, instance.gateway().connectionCount(), "a refused handshake opened a connection");
        assertEquals(3, instance.count("realtime.connections.rejected"));
    }

    @Test
    void aClientWithoutAnOriginHeaderConnects() {
        WsClient client = instance.connect("server-side"); // the JDK's client sends no Origin; connect awaits the greeting
        assertFalse(client.isClosed());
        Await.until("the connection to be counted", () -> instance.gateway().connectionCount() == 1);
    }

    /** Sends a WebSocket handshake with this Origin and returns the response head. */
    private String handshake(String origin) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", instance.launcher().port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/v1/notifications/ws?token=" + TestTokens.token("alice") + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Origin: " + origin + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1) {
                head.append((char) b);
            }
            assertTrue(head.length() > 0, "no response");
            return head.toString();
        }
    }

    private static String statusOf(String response) {
        return response.length() >= 12 ? response.substring(0, 12) : response;
    }
}

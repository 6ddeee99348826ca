package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request headers are bounded at 8 KB (request line and header fields together): more gets HTTP 431 Request Header
 * Fields Too Large (414 URI Too Long when the request line alone is over), no upgrade, and a closed socket; the server
 * serves the next client as before. Grizzly alone answered 400 Bad Request.
 */
@Timeout(60)
class RequestHeaderLimitTest {
    private static final int LIMIT = 8192;

    private final TestInstance instance = TestInstance.start(Map.of());

    @AfterEach
    void close() {
        instance.close();
    }

    @Test
    void anUpgradeWithHeadersOverEightKilobytesGets431AndNoSocket() throws IOException {
        String response = send(upgrade(LIMIT + 100, "/api/v1/notifications/ws?token=" + TestTokens.token("alice")), 0);
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", statusLine(response), response);
        assertNoUpgradeAndServerFine(response);
    }

    @Test
    void headersOverEightKilobytesSentInSmallPiecesGet431() throws IOException {
        String response = send(upgrade(LIMIT + 100, "/api/v1/notifications/ws?token=" + TestTokens.token("alice")), 500);
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", statusLine(response), response);
        assertNoUpgradeAndServerFine(response);
    }

    @Test
    void aPlainHttpRequestWithHeadersOverEightKilobytesGets431() throws IOException {
        String padding = "a".repeat(LIMIT);
        String request = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + padding + "\r\n\r\n";
        String response = send(request, 0);
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", statusLine(response), response);
        assertNoUpgradeAndServerFine(response);
    }

    @Test
    void aRequestLineOverEightKilobytesGets414() throws IOException {
        String response = send(upgrade(0, "/api/v1/notifications/ws?token=" + "x".repeat(LIMIT + 100)), 0);
        assertEquals("HTTP/1.1 414 Request-URI Too Long", statusLine(response), response);
        assertNoUpgradeAndServerFine(response);
    }

    @Test
    void anUpgradeWithHeadersJustUnderEightKilobytesIsAccepted() throws IOException {
        String request = upgrade(LIMIT - 200, "/api/v1/notifications/ws?token=" + TestTokens.token("alice"));
        assertTrue(request.length() < LIMIT && request.length() > LIMIT - 300, "size " + request.length());
        try (Socket socket = new Socket("127.0.0.1", instance.launcher().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 101", status);
        }
    }

    /** A WebSocket upgrade of about {@code size} bytes in all (padded with one header), or unpadded at 0. */
    private String upgrade(int size, String target) {
        String head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        String padding = size == 0 ? "" : "X-Padding: " + "p".repeat(Math.max(0, size - head.length() - 15)) + "\r\n";
        return head + padding + "\r\n";
    }

    /** Sends the request (in pieces of {@code piece} bytes, or at once at 0) and reads the answer to its end. */
    private String send(String request, int piece) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", instance.launcher().port())) {
            socket.setSoTimeout(10_000);
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            try {
                if (piece == 0) {
                    out.write(bytes);
                } else {
                    for (int i = 0; i < bytes.length; i += piece) {
                        out.write(bytes, i, Math.min(piece, bytes.length - i));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the server may answer and close before the rest is written; the answer is still readable
            }
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the answer: closed as well
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static String statusLine(String response) {
        int end = response.indexOf("\r\n");
        return end < 0 ? response : response.substring(0, end);
    }

    private void assertNoUpgradeAndServerFine(String response) {
        assertTrue(!response.contains("101 Switching") && !response.toLowerCase().contains("upgrade: websocket"),
                response);
        instance.connect("next").close();
    }
}

package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher's RFC 6455 opening handshake, from raw sockets: what is upgraded, what is refused and how. */
@Timeout(60)
class WebSocketHandshakeTest {
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    private static TestInstance gateway;

    @BeforeAll
    static void start() {
        gateway = TestInstance.inMemory();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theAcceptHeaderIsTheRfcsAnswerToTheKey() throws IOException {
        String head = exchange("GET /api/v1/notifications/ws?token=" + TestTokens.token("rfc") + " HTTP/1.1\r\n"
                + "Host: x\r\n" + UPGRADE + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head); // RFC 6455 1.3
        assertTrue(head.toLowerCase().contains("upgrade: websocket"), head);
    }

    @Test
    void anotherProtocolVersionGets426NamingVersion13() throws IOException {
        String head = exchange("GET /api/v1/notifications/ws HTTP/1.1\r\nHost: x\r\n" + UPGRADE
                + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        assertTrue(head.startsWith("HTTP/1.1 426"), head);
        assertTrue(head.contains("Sec-WebSocket-Version: 13"), head);
    }

    @Test
    void aHandshakeWithoutAKeyGets400() throws IOException {
        String head = exchange("GET /ws/room/r1 HTTP/1.1\r\nHost: x\r\n" + UPGRADE
                + "Sec-WebSocket-Version: 13\r\n");
        assertTrue(head.startsWith("HTTP/1.1 400"), head);
    }

    @Test
    void anUpgradeThatIsNotAGetIsNotUpgraded() throws IOException {
        String head = exchange("POST /api/v1/notifications/ws HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + UPGRADE
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        assertTrue(head.startsWith("HTTP/1.1 4"), head);
        assertEquals(0, gateway.gateway().connectionCount());
    }

    @Test
    void anUpgradeToAnUnknownPathGets404() throws IOException {
        String head = exchange("GET /api/v1/nowhere/ws HTTP/1.1\r\nHost: x\r\n" + UPGRADE
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        assertTrue(head.startsWith("HTTP/1.1 404"), head);
    }

    @Test
    void aMalformedEscapeInTheQueryIsAnInvalidTokenNotADroppedConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.launcher().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/notifications/ws?token=%zz%&since=%e0%80 HTTP/1.1\r\n"
                    + "Host: x\r\n" + UPGRADE + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String head = head(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            JsonNode error = new ObjectMapper().readTree(new String(payload(in, 0x81), StandardCharsets.UTF_8));
            assertEquals("AUTH_ERROR", error.path("code").asText(), error.toString());
            byte[] close = payload(in, 0x88);
            assertEquals(1008, ((close[0] & 0xFF) << 8) | (close[1] & 0xFF));
        }
        WsClient after = WsClient.connect(gateway.notificationsUrl(TestTokens.token("after")));
        assertEquals("connected", after.next().path("type").asText(), "the server serves the next client");
        after.close();
    }

    /** The payload of the next server frame, which must have this first byte (server frames are unmasked). */
    private static byte[] payload(DataInputStream in, int firstByte) throws IOException {
        assertEquals(firstByte, in.readUnsignedByte());
        int length = in.readUnsignedByte();
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder response = new StringBuilder();
        int b;
        while (!response.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1) {
            response.append((char) b);
        }
        return response.toString();
    }

    /** Sends a request head (without its blank line) on a fresh socket and returns the response head. */
    private static String exchange(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.launcher().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return head(socket.getInputStream());
        }
    }
}

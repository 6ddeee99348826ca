package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames refused from their header (RFC 6455, 5.1 and 5.2), before the server holds their data: raw sockets that
 * send what a WebSocket library never would, and a neighbour that must not notice.
 */
@Timeout(60)
class FrameHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestInstance instance = TestInstance.start(Map.of());
    private final WsClient neighbour = instance.connect("neighbour");

    @AfterEach
    void close() {
        instance.close();
    }

    private RawWebSocket hostile() throws IOException {
        RawWebSocket socket = RawWebSocket.connect(instance.notificationsUrl(TestTokens.token("mallory")));
        return socket;
    }

    @Test
    void anUnmaskedClientFrameClosesWith1002() throws IOException {
        try (RawWebSocket socket = hostile()) {
            byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[2 + ping.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) ping.length; // no mask bit
            System.arraycopy(ping, 0, frame, 2, ping.length);
            socket.sendRaw(frame);
            assertEquals(1002, socket.awaitCloseCode());
        }
        assertNeighbourUnharmed();
    }

    @Test
    void aFrameDeclaringTwoToTheSixtySecondBytesClosesWith1009AtOnce() throws IOException {
        try (RawWebSocket socket = hostile()) {
            socket.sendRaw(RawWebSocket.headerDeclaring(0x81, 1L << 62)); // and not one byte of it
            assertEquals(1009, socket.awaitCloseCode());
        }
        assertNeighbourUnharmed();
    }

    @Test
    void aFrameDeclaringOneMebibyteClosesWith1009BeforeItsDataArrives() throws IOException {
        try (RawWebSocket socket = hostile()) {
            socket.sendRaw(RawWebSocket.headerDeclaring(0x81, 1 << 20));
            assertEquals(1009, socket.awaitCloseCode());
        }
        assertNeighbourUnharmed();
    }

    @Test
    void aLengthWithItsTopBitSetClosesWith1002() throws IOException {
        try (RawWebSocket socket = hostile()) {
            socket.sendRaw(RawWebSocket.headerDeclaring(0x81, Long.MIN_VALUE + 5));
            assertEquals(1002, socket.awaitCloseCode());
        }
        assertNeighbourUnharmed();
    }

    @Test
    void aFrameSplitAcrossManyWritesStillPasses() throws IOException {
        try (RawWebSocket socket = hostile()) {
            byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[6 + ping.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | ping.length);
            byte[] mask = {1, 2, 3, 4};
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < ping.length; i++) {
                frame[6 + i] = (byte) (ping[i] ^ mask[i % 4]);
            }
            for (byte b : frame) {
                socket.sendRaw(new byte[] {b}); // one byte per write: the header arrives in pieces
            }
            socket.sendRaw(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, (byte) (0x03 ^ 1), (byte) (0xE8 ^ 2)});
            assertEquals(1000, socket.awaitCloseCode(), "the split frame passed and the close was answered");
        }
    }


    @Test
    void framesArrivingInUnevenPiecesThatStraddleTheirBoundariesAreEachAnswered() throws IOException {
        try (RawWebSocket socket = hostile()) {
            byte[] ping = RawWebSocket.frame(0x81, ("{\"type\":\"ping\",\"pad\":\"" + "p".repeat(400) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] two = new byte[ping.length * 2];
            System.arraycopy(ping, 0, two, 0, ping.length);
            System.arraycopy(ping, 0, two, ping.length, ping.length);
            for (int at = 0; at < two.length; at += 7) { // 7-byte writes: headers, masks and data cut anywhere
                socket.sendRaw(java.util.Arrays.copyOfRange(two, at, Math.min(two.length, at + 7)));
            }
            assertEquals("connected", JSON.readTree(socket.nextFrame().text()).path("type").asText());
            assertEquals("pong", JSON.readTree(socket.nextFrame().text()).path("type").asText());
            assertEquals("pong", JSON.readTree(socket.nextFrame().text()).path("type").asText());
        }
        assertNeighbourUnharmed();
    }


    private void assertNeighbourUnharmed() {
        neighbour.send("{\"type\":\"ping\"}");
        assertEquals("pong", neighbour.next().path("type").asText());
    }
}

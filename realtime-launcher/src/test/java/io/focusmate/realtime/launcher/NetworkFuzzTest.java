package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded network fuzz (issue 11): random frame streams ({@link ClientBytes}) written after a real upgrade on a
 * random endpoint of a real server, in random pieces, then the end of the stream. Each connection gets only JSON
 * frames with documented error codes and then a documented close code or an abrupt end, never 1011; the neighbours on
 * the three endpoints still answer a ping after each one.
 */
@Timeout(120)
class NetworkFuzzTest {
    /** The close codes of docs/protocol.md, section 8, that a client's own bytes can bring about. */
    private static final Set<Integer> DOCUMENTED = Set.of(1000, 1002, 1003, 1007, 1008, 1009, 4000, 4001, 4003, 4008);
    private static final Set<String> ERROR_CODES =
            Set.copyOf(Stream.of(ErrorCode.values()).map(Enum::name).toList());
    private static final String[] PATHS = {"/api/v1/notifications/ws", "/ws/room/fuzz-%d", "/api/v1/matching/chat/fuzz-%d/ws"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final List<WsClient> NEIGHBOURS = new ArrayList<>();
    private static TestInstance instance;

    /** One connection's input: the endpoint, the bytes and where they are cut into writes. */
    record Attempt(int endpoint, byte[] bytes, int[] cuts) {
        @Override
        public String toString() {
            return PATHS[endpoint] + ": bytes " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 80)))
                    + (bytes.length > 80 ? "...(" + bytes.length + ")" : "") + " cut at " + Arrays.toString(cuts);
        }
    }

    @BeforeAll
    static void start() {
        instance = TestInstance.start(Map.of("CLIENT_MESSAGE_RATE", "0")); // the neighbours ping once per try
        NEIGHBOURS.add(instance.connect("neighbour"));
        NEIGHBOURS.add(instance.joinRoom("neighbour", "neighbours").client());
        NEIGHBOURS.add(instance.chat("neighbour", "neighbours", null));
    }

    @AfterAll
    static void stop() {
        NEIGHBOURS.clear();
        instance.close();
    }

    @Test
    void randomFrameStreamsGetOnlyDocumentedAnswersAndClosesAndTheNeighboursStayHealthy() {
        long maxFrameBytes = 4L * instance.gateway().config().maxMessageBytes();
        Fuzz.forAll(300, random -> {
            byte[] bytes = random.nextBoolean() ? ClientBytes.stream(random, maxFrameBytes)
                    : ClientBytes.mostlyValid(random, maxFrameBytes);
            return new Attempt(random.nextInt(PATHS.length), bytes, ClientBytes.cuts(random, bytes.length));
        }, NetworkFuzzTest::check);
    }

    /** The codes of the masked close frames in a stream, read as a server would (frame by frame, unmasked). */
    static Set<Integer> clientCloseCodes(byte[] stream) {
        Set<Integer> codes = new java.util.HashSet<>();
        int at = 0;
        while (stream.length - at >= 2) {
            int len = stream[at + 1] & 0x7F;
            boolean masked = (stream[at + 1] & 0x80) != 0;
            int lengthBytes = len == 126 ? 2 : len == 127 ? 8 : 0;
            int header = 2 + lengthBytes + (masked ? 4 : 0);
            if (stream.length - at < header) {
                break;
            }
            long length = len;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (stream[at + 2 + i] & 0xFF);
                }
            }
            if (length < 0 || length > stream.length - at - header) {
                break;
            }
            if ((stream[at] & 0x0F) == 0x8 && length >= 2) {
                int key = at + header - 4;
                int high = (stream[at + header] ^ (masked ? stream[key] : 0)) & 0xFF;
                int low = (stream[at + header + 1] ^ (masked ? stream[key + 1] : 0)) & 0xFF;
                codes.add(high << 8 | low);
            }
            at += header + (int) length;
        }
        return codes;
    }

    private static void check(Attempt attempt) throws Exception {
        int user = USERS.incrementAndGet();
        String url = instance.url(PATHS[attempt.endpoint()].formatted(user) + "?token=" + TestTokens.token("f" + user));
        try (RawWebSocket socket = RawWebSocket.connect(url)) {
            int from = 0;
            for (int i = 0; i <= attempt.cuts().length; i++) {
                int to = i < attempt.cuts().length ? attempt.cuts()[i] : attempt.bytes().length;
                socket.sendRaw(Arrays.copyOfRange(attempt.bytes(), from, to));
                from = to;
            }
            socket.endOutput();
            RawWebSocket.Frame frame;
            while ((frame = socket.nextFrame()) != null && frame.opcode() != 0x8) {
                if (frame.opcode() == 0x1) {
                    JsonNode json = JSON.readTree(frame.text());
                    assertTrue(json.path("type").isTextual(), frame.text());
                    if ("error".equals(json.path("type").asText())) {
                        assertTrue(ERROR_CODES.contains(json.path("code").asText()), frame.text());
                    }
                }
            }
            if (frame != null) { // else an abrupt end: the server dropped the socket, as it may
                Set<Integer> echoes = clientCloseCodes(attempt.bytes()); // a close the client sent comes back
                int code = frame.closeCode();
                assertTrue(code != 1011 || echoes.contains(code), "1011 " + frame.closeReason());
                assertTrue(DOCUMENTED.contains(code) || echoes.contains(code), code + " " + frame.closeReason());
            }
        }
        for (WsClient neighbour : NEIGHBOURS) {
            neighbour.send("{\"type\":\"ping\"}");
            assertEquals("pong", neighbour.next().path("type").asText(), "a neighbour did not answer");
        }
    }
}

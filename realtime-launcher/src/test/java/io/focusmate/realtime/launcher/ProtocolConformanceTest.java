package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 conformance of the launcher on all three endpoints, from raw sockets: each row of
 * {@link ConformanceCases} is written after a real upgrade (and the endpoint's greeting), and must get exactly its
 * answers and its close code. After every row, a neighbour on each endpoint of the same server still answers a ping.
 */
@Timeout(300)
class ProtocolConformanceTest {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static TestInstance instance;
    private static final List<WsClient> NEIGHBOURS = new ArrayList<>();

    /** The three endpoints, each with the URL of a fresh user in a room of its own and its greeting frame. */
    enum Endpoint {
        NOTIFICATIONS("/api/v1/notifications/ws", "connected"),
        ROOMS("/ws/room/%s", "room_state"),
        CHAT("/api/v1/matching/chat/%s/ws", "connected");

        private final String path;
        private final String greeting;

        Endpoint(String path, String greeting) {
            this.path = path;
            this.greeting = greeting;
        }

        String url(String user) {
            return instance.url(path.formatted("conformance-" + user) + "?token=" + TestTokens.token(user));
        }
    }

    @BeforeAll
    static void start() {
        instance = TestInstance.start(Map.of("CLIENT_MESSAGE_RATE", "0")); // the neighbours ping once per row
        NEIGHBOURS.add(instance.connect("neighbour"));
        NEIGHBOURS.add(instance.joinRoom("neighbour", "neighbours").client());
        NEIGHBOURS.add(instance.chat("neighbour", "neighbours", null));
    }

    @AfterAll
    static void stop() {
        NEIGHBOURS.clear();
        instance.close();
    }

    static Stream<Arguments> rows() {
        return ConformanceCases.all().stream()
                .flatMap(row -> Stream.of(Endpoint.values()).map(endpoint -> Arguments.of(row, endpoint)));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("rows")
    void eachRawFrameSequenceGetsItsAnswersAndItsCloseCodeAndTheNeighboursStayHealthy(
            ConformanceCase row, Endpoint endpoint) throws IOException {
        try (RawWebSocket socket = RawWebSocket.connect(endpoint.url("u" + USERS.incrementAndGet()))) {
            RawWebSocket.Frame greeting = socket.nextFrame();
            assertNotNull(greeting, "no greeting");
            assertEquals(endpoint.greeting, ConformanceCase.describe(greeting));
            for (byte[] write : row.writes()) {
                socket.sendRaw(write);
            }
            List<String> answers = new ArrayList<>();
            RawWebSocket.Frame frame;
            boolean closing = !row.clientCloses();
            while ((frame = socket.nextFrame()) != null && frame.opcode() != 0x8) {
                if (frame.opcode() != 0x9) { // the server's heartbeat pings are not answers
                    answers.add(ConformanceCase.describe(frame));
                }
                if (!closing && answers.size() == row.answers().size()) {
                    socket.sendRaw(ConformanceCase.close(1000, new byte[0]));
                    closing = true;
                }
            }
            assertEquals(row.answers(), answers, "the frames before the close");
            assertNotNull(frame, "the socket ended without a close frame");
            assertEquals(row.close(), frame.closeCode(), "the close code (reason: " + frame.closeReason() + ")");
        }
        for (WsClient neighbour : NEIGHBOURS) {
            neighbour.send("{\"type\":\"ping\"}");
            assertEquals("pong", neighbour.next().path("type").asText(), "a neighbour did not answer");
        }
    }
}

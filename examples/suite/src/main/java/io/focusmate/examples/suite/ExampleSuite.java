package io.focusmate.examples.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * What every example under {@code examples/} does the same way as the launcher, checked end to end: the example runs
 * as its own process, started with its documented command ({@code java -jar target/<name>.jar}, with {@code PORT},
 * {@code JWT_SECRET_KEY} and optionally {@code REDIS_URL}), and real WebSocket clients talk to it. Frames and close
 * codes are compared with the launcher's, as docs/protocol.md gives them. The last test stops the example with
 * SIGTERM.
 *
 * <p>Each example has one failsafe integration test per backend that extends this class and names its jar:
 *
 * <pre>{@code
 * class TomcatExampleIT extends ExampleSuite {
 *     TomcatExampleIT() {
 *         super(Path.of("target", "tomcat.jar"), Backend.IN_MEMORY);
 *     }
 * }
 * }</pre>
 *
 * <p>One instance per class: the tests share the running example, and run one at a time on the test thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
public abstract class ExampleSuite {
    /** The launcher's default limit on a client text frame, which the examples keep. */
    private static final int MAX_MESSAGE_BYTES = 10_240;
    /** The example runs with ALLOWED_ORIGINS set to this one origin. */
    private static final String ALLOWED_ORIGIN = "https://app.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The broker the example runs on: its own memory, or a real redis-server through {@code REDIS_URL}. */
    public enum Backend {
        /** {@code REDIS_URL} unset. */
        IN_MEMORY,
        /** {@code REDIS_URL} set to a redis-server started for the test class. */
        REDIS
    }

    private final Path jar;
    private final Backend backend;
    /** Every token the suite gave a client; none may show up in the example's output. Test thread only. */
    private final List<String> tokensIssued = new ArrayList<>();
    /** Started in {@link #startExample()}, when the backend is Redis; test thread only. */
    private RedisServer redis;
    /** Started in {@link #startExample()}; test thread only. */
    private ExampleProcess example;
    /** Chosen in {@link #startExample()}; test thread only. */
    private int port;

    /** The suite against the executable {@code jar}, on {@code backend}. */
    protected ExampleSuite(Path jar, Backend backend) {
        this.jar = jar;
        this.backend = backend;
    }

    @BeforeAll
    void startExample() {
        Map<String, String> environment = new HashMap<>();
        if (backend == Backend.REDIS) {
            redis = RedisServer.start();
            environment.put("REDIS_URL", redis.url());
        }
        port = RedisServer.freePort();
        environment.put("PORT", String.valueOf(port));
        environment.put("JWT_SECRET_KEY", TestTokens.SECRET);
        environment.put("ALLOWED_ORIGINS", ALLOWED_ORIGIN);
        example = ExampleProcess.start(jar, environment, log(backend.name().toLowerCase(Locale.ROOT)));
        example.awaitListening(port, START_TIMEOUT);
    }

    @AfterAll
    void stopExample() {
        if (example != null) {
            example.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theNotificationsEndpointGreetsAUserWithTheConnectedFrame() {
        try (WsClient client = WsClient.connect(ws("/api/v1/notifications/ws?token=" + token("greeted")))) {
            assertEquals("{\"type\":\"connected\",\"message\":\"Connected to notification service\","
                    + "\"user_id\":\"greeted\"}", client.nextText());
        }
    }

    @Test
    void aPingFrameIsAnsweredWithAPongFrame() {
        try (WsClient client = notifications("pinger")) {
            client.send("{\"type\":\"ping\"}");
            assertEquals("{\"type\":\"pong\"}", client.nextText());
        }
    }

    @Test
    void aNotificationPostedToNotifyReachesThatUserAndNoOneElse() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        try (WsClient aliceClient = notifications(alice); WsClient bobClient = notifications(bob)) {
            HttpResponse<String> published = post("/notify/" + alice,
                    "{\"title\":\"Hello\",\"message\":\"From the suite\"}");
            assertEquals(202, published.statusCode(), published.body());
            assertEquals("published", JSON.readTree(published.body()).path("status").asText(), published.body());

            JsonNode notification = aliceClient.next();
            assertEquals("notification", notification.path("type").asText(), notification.toString());
            assertEquals("Hello", notification.path("data").path("title").asText());
            assertEquals("From the suite", notification.path("data").path("message").asText());
            assertTrue(notification.path("data").path("notification_id").asText().startsWith("notif-"));
            assertTrue(notification.path("ts").isIntegralNumber(), "the Java publisher stamps ts");

            // Bob's channel is ordered: a marker published to him after Alice's notification is the first frame he
            // gets only if Alice's notification never reached him.
            assertEquals(202, post("/notify/" + bob, "{\"title\":\"marker\",\"message\":\"\"}").statusCode());
            JsonNode first = bobClient.next();
            assertEquals("marker", first.path("data").path("title").asText(), "bob got " + first);
        }
    }

    @Test
    void aNotifyBodyOtherThanATitleAndAMessageIsAnsweredWith400() throws Exception {
        for (String body : List.of("", "not json", "[]", "{\"title\":\"no message\"}",
                "{\"title\":1,\"message\":\"a number is not a title\"}", "{\"title\":\"a\",\"message\":\"b\"} {}")) {
            HttpResponse<String> answer = post("/notify/someone", body);
            assertEquals(400, answer.statusCode(), "body " + body + " got " + answer.body());
            assertTrue(JSON.readTree(answer.body()).path("error").isTextual(),
                    "a 400 says what is wrong: " + answer.body());
        }
    }

    @Test
    void aRoomSendsItsStateOnConnectAndATimerUpdateAfterTimerStart() {
        String room = unique("focus");
        try (WsClient client = WsClient.connect(ws("/ws/room/" + room + "?token=" + token("alice")))) {
            JsonNode state = client.next();
            assertEquals("room_state", state.path("type").asText(), state.toString());
            JsonNode data = state.path("data");
            assertEquals(List.of("room_id", "participants", "participant_count", "timer", "settings", "version",
                    "server_time"), names(data));
            assertEquals(room, data.path("room_id").asText());
            assertEquals("[{\"user_id\":\"alice\"}]", data.path("participants").toString());
            assertEquals("idle", data.path("timer").path("status").asText());

            client.send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":60}}");
            JsonNode updated = client.next();
            assertEquals("timer_updated", updated.path("type").asText(), updated.toString());
            JsonNode timer = updated.path("data");
            assertEquals(List.of("room_id", "status", "duration_s", "remaining_ms", "ends_at", "server_time",
                    "version", "updated_by"), names(timer));
            assertEquals("running", timer.path("status").asText());
            assertEquals(60, timer.path("duration_s").asInt());
            assertEquals(60_000, timer.path("ends_at").asLong() - timer.path("server_time").asLong());
            assertEquals("alice", timer.path("updated_by").asText());
        }
    }

    @Test
    void aChatRoomLetsInItsMembersOnly() {
        String room = unique("match");
        try (WsClient stranger = WsClient.connect(ws("/api/v1/matching/chat/" + room + "/ws?token="
                + token("stranger")))) {
            assertEquals("{\"type\":\"error\",\"code\":\"FORBIDDEN\",\"message\":\"Not a member of chat room " + room
                    + "\"}", stranger.nextText());
            assertClose(stranger, 1008, "Forbidden");
        }
        if (redis != null) { // with Redis, members are the set the matching service fills
            redis.command("SADD", "matching:chat:" + room + ":members", "member");
            try (WsClient member = WsClient.connect(ws("/api/v1/matching/chat/" + room + "/ws?token="
                    + token("member")))) {
                assertEquals("{\"type\":\"connected\",\"message\":\"Connected to chat\",\"user_id\":\"member\","
                        + "\"room_id\":\"" + room + "\"}", member.nextText());
                member.send("{\"type\":\"message\",\"data\":{\"content\":\"Hi\",\"client_msg_id\":\"c1\"}}");
                JsonNode message = member.next().path("data");
                assertEquals(1, message.path("message_id").asInt(), message.toString());
                assertEquals("Hi", message.path("content").asText());
            }
        }
    }

    @Test
    void anElevenKilobyteTextFrameGetsMessageTooLargeThenClose1009() {
        try (WsClient client = notifications("large")) {
            client.send(pingOfBytes(11 * 1024));
            assertEquals("{\"type\":\"error\",\"code\":\"MESSAGE_TOO_LARGE\",\"message\":\"Message too large: the "
                    + "limit is " + MAX_MESSAGE_BYTES + " bytes\"}", client.nextText());
            assertClose(client, 1009, "Message too large");
        }
    }

    /**
     * On a raw socket: the container stops reading the frame and closes, so the rest of it makes the socket reset.
     * With the JDK client, still writing the frame, that reset could end the socket as 1006 before the close frame
     * was read (seen once in a CI run, with Jetty: 1006 instead of 1009). Here the frame is written, a failed write is
     * ignored, and the close frame that arrived before the reset is read.
     */
    @Test
    void aFrameFarOverTheLimitIsCutWith1009ByTheContainer() throws IOException {
        try (RawWebSocket client = RawWebSocket.connect(ws("/api/v1/notifications/ws?token=" + token("huge")))) {
            try {
                client.sendText(pingOfBytes(MAX_MESSAGE_BYTES * 8));
            } catch (IOException e) {
                // the container may cut the socket before the whole frame is written
            }
            assertEquals(1009, client.awaitCloseCode(), "the reason is the container's own");
        }
    }

    @Test
    void aHandshakeFromAnOriginNotInAllowedOriginsGets403AndAnAllowedOneUpgrades() throws IOException {
        assertEquals("HTTP/1.1 403", statusLine(handshake("https://evil.example")));
        assertEquals("HTTP/1.1 403", statusLine(handshake("null")));
        assertEquals("HTTP/1.1 101", statusLine(handshake(ALLOWED_ORIGIN)));
    }

    /** Sends a WebSocket handshake for alice with this Origin; returns the response head. */
    private String handshake(String origin) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/v1/notifications/ws?token=" + TestTokens.token("alice") + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Origin: " + origin + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1) {
                head.append((char) b);
            }
            return head.toString();
        }
    }

    private static String statusLine(String response) {
        return response.length() >= 12 ? response.substring(0, 12) : response;
    }

    @Test
    void aBinaryFrameGetsInvalidMessageThenClose1003() {
        try (WsClient client = notifications("binary")) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals("{\"type\":\"error\",\"code\":\"INVALID_MESSAGE\",\"message\":\"Binary frames are not "
                    + "supported; send JSON text\"}", client.nextText());
            assertClose(client, 1003, "Binary frames are not supported");
        }
    }

    @Test
    void aBadTokenGetsAuthErrorThenClose1008() {
        String forged = new JwtIssuer("another-secret-that-is-long-enough-for-hs256", Clock.systemUTC())
                .issue("mallory", Duration.ofHours(1));
        for (String token : List.of(forged, "not-a-jwt")) {
            try (WsClient client = WsClient.connect(ws("/api/v1/notifications/ws?token=" + token))) {
                assertEquals("{\"type\":\"error\",\"code\":\"AUTH_ERROR\",\"message\":\"Authentication failed: "
                        + "invalid token\"}", client.nextText());
                assertClose(client, 1008, "Authentication failed");
            }
        }
        try (WsClient client = WsClient.connect(ws("/api/v1/notifications/ws"))) {
            assertEquals("{\"type\":\"error\",\"code\":\"AUTH_ERROR\",\"message\":\"Authentication failed: "
                    + "no token\"}", client.nextText());
            assertClose(client, 1008, "Authentication failed");
        }
    }

    @Test
    void aShortLivedTokenGetsTokenExpiringAndIsRefreshedInBand() {
        JwtIssuer issuer = new JwtIssuer(TestTokens.SECRET, Clock.systemUTC());
        String first = issuer.issue("refresher", Duration.ofSeconds(20));
        String fresh = issuer.issue("refresher", Duration.ofHours(1));
        tokensIssued.add(first);
        tokensIssued.add(fresh);
        try (WsClient client = WsClient.connect(ws("/api/v1/notifications/ws?token=" + first))) {
            assertEquals("connected", client.next().path("type").asText());
            // Inside the default 60 s refresh window from the start: token_expiring comes within a second.
            assertTrue(client.nextOfType("token_expiring").path("data").path("expires_at").asLong() > 0);
            client.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + fresh + "\"}}");
            long expiresAt = client.nextOfType("refreshed").path("data").path("expires_at").asLong();
            assertTrue(expiresAt > System.currentTimeMillis() + Duration.ofMinutes(59).toMillis(), "" + expiresAt);
        }
    }

    @Test
    void aBearerTokenInTheAuthorizationHeaderIsAccepted() {
        try (WsClient client = WsClient.connect(ws("/api/v1/notifications/ws?token=not-a-jwt"),
                Map.of("Authorization", "Bearer " + token("header")), true)) {
            assertEquals("header", client.next().path("user_id").asText(), "the header wins over the query");
        }
    }

    @Test
    void aMissingOrShortJwtSecretKeyStopsTheExampleWithOneClearLine() {
        Map<String, Map<String, String>> cases = Map.of(
                "unset", Map.of("PORT", String.valueOf(RedisServer.freePort())),
                "short", Map.of("PORT", String.valueOf(RedisServer.freePort()), "JWT_SECRET_KEY", "too-short"));
        cases.forEach((name, environment) -> {
            try (ExampleProcess failing = ExampleProcess.start(jar, environment, log("secret-" + name))) {
                int code = failing.awaitExit(STOP_TIMEOUT);
                String output = failing.output().strip();
                assertEquals(2, code, output);
                assertFalse(output.contains("\n"), "one line, not: " + output);
                assertTrue(output.contains("JWT_SECRET_KEY"), "the line names the setting: " + output);
                assertFalse(output.contains("too-short"), "the secret is not echoed: " + output);
            }
        });
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void sigtermClosesTheGatewayThenTheBackendAndExits() {
        WsClient client = notifications("last");
        int code = example.terminate(STOP_TIMEOUT);
        String output = example.output();
        assertEquals(1001, client.awaitClose().code(), "open sockets are told the server is going away");
        assertEquals(143, code, "128 + SIGTERM: the JVM ran its shutdown hooks\n" + output);
        int gatewayClosed = output.indexOf("Gateway closed");
        int backendClosed = output.indexOf("Backend closed");
        assertTrue(gatewayClosed >= 0 && backendClosed > gatewayClosed,
                "the gateway closes, then the backend:\n" + output);
        assertFalse(output.contains(TestTokens.SECRET), "the JWT secret reached the output");
        for (String token : tokensIssued) {
            assertFalse(output.contains(token), "a token reached the output");
        }
    }

    /** The example's port. */
    protected int port() {
        return port;
    }

    /** The running example, for a subclass's own checks. */
    protected ExampleProcess example() {
        return example;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    protected String http(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code ws://127.0.0.1:<port><path>}. */
    protected String ws(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    /** A token for {@code userId}, signed with the example's secret. */
    protected String token(String userId) {
        String token = TestTokens.token(userId);
        tokensIssued.add(token);
        return token;
    }

    /** A notifications connection of {@code userId}, past its {@code connected} frame. */
    protected WsClient notifications(String userId) {
        WsClient client = WsClient.connect(ws("/api/v1/notifications/ws?token=" + token(userId)));
        assertEquals("connected", client.next().path("type").asText());
        return client;
    }

    /** GETs {@code path} with a default JDK client. */
    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(http(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body to {@code path} with a default JDK client, as a Java backend would. */
    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http(path)))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Path log(String what) {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return jar.toAbsolutePath().getParent().resolve(name + "-it-" + what + ".log");
    }

    private static void assertClose(WsClient client, int code, String reason) {
        WsClient.Close close = client.awaitClose();
        assertEquals(code, close.code(), "close " + close);
        assertEquals(reason, close.reason(), "close " + close);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A {@code ping} frame padded to exactly {@code bytes} UTF-8 bytes. */
    private static String pingOfBytes(int bytes) {
        String head = "{\"type\":\"ping\",\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

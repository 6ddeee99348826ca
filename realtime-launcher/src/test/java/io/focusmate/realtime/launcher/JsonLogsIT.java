package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** LOG_FORMAT=json on the jar: every line on stderr is one JSON object, and a refused token says why, not what. */
@Timeout(120)
class JsonLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private LauncherJar jar;

    @BeforeEach
    void jar() {
        jar = new LauncherJar(home);
    }

    @AfterEach
    void stopAll() {
        jar.close();
    }

    @Test
    void withLogFormatJsonEveryStderrLineIsAJsonObjectAndARefusedTokenHasItsReasonAndNotTheToken() throws Exception {
        int port = RedisServer.freePort();
        Path stderr = home.resolve("stderr.log");
        Process server = start(Map.of("PORT", String.valueOf(port), "LOG_FORMAT", "json",
                "JWT_SECRET_KEY", TestTokens.SECRET), stderr);
        Await.until("the server to listen", Duration.ofSeconds(30), () -> LauncherJar.read(stderr).contains("Listening on"));

        String forged = TestTokens.token("mallory").replaceAll(".$", "A").replaceAll(".(?=.$)", "B");
        WsClient refused = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token=" + forged);
        assertEquals("AUTH_ERROR", refused.next().path("code").asText());
        WsClient alice = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token="
                + TestTokens.token("alice"));
        assertEquals("connected", alice.next().path("type").asText());
        Await.until("the refusal to be logged", Duration.ofSeconds(10), () -> LauncherJar.read(stderr).contains("Refused connection"));
        server.destroy(); // SIGTERM: the drain and stop lines too
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));

        List<String> lines = LauncherJar.read(stderr).lines().toList();
        assertTrue(lines.size() >= 5, "start, refusal, drain and stop lines: " + lines);
        JsonNode refusal = null;
        for (String line : lines) {
            JsonNode json = JSON.readTree(line); // throws on a line that is not JSON
            assertTrue(json.isObject(), line);
            for (String member : List.of("timestamp", "level", "logger", "message")) {
                assertTrue(json.path(member).isTextual(), member + " missing: " + line);
            }
            if (json.path("message").asText().startsWith("Refused connection")) {
                refusal = json;
            }
        }
        assertTrue(refusal != null, "no refusal line: " + lines);
        assertEquals("notifications", refusal.path("endpoint").asText(), refusal.toString());
        assertFalse(refusal.path("reason").asText().isBlank(), "the refusal has a reason: " + refusal);
        String log = LauncherJar.read(stderr);
        assertFalse(log.contains(forged) || log.contains(forged.substring(forged.lastIndexOf('.') + 1)),
                "the token reached the log");
        assertFalse(log.contains(TestTokens.SECRET));
        System.out.println("JSON log lines: " + lines.size() + "; the refusal: " + refusal);
    }

    @Test
    void everySecurityEventIsOneJsonLineWithItsFieldsAndNoToken() throws Exception {
        int port = RedisServer.freePort();
        Path stderr = home.resolve("security.log");
        start(Map.of("PORT", String.valueOf(port), "LOG_FORMAT", "json", "JWT_SECRET_KEY", TestTokens.SECRET,
                "ALLOWED_ORIGINS", "https://app.example.com", "JWT_CLOCK_SKEW", "0s", "TOKEN_REFRESH_WINDOW", "1s",
                "MAX_CONNECTIONS_PER_USER", "1"), stderr);
        Await.until("the server to listen", Duration.ofSeconds(30), () -> LauncherJar.read(stderr).contains("Listening on"));
        String url = "ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token=";
        io.focusmate.realtime.auth.JwtIssuer issuer = new io.focusmate.realtime.auth.JwtIssuer(TestTokens.SECRET,
                java.time.Clock.systemUTC());
        List<String> tokens = new ArrayList<>();

        String forged = TestTokens.token("mallory").replaceAll(".$", "A").replaceAll(".(?=.$)", "B");
        tokens.add(forged);
        WsClient.connect(url + forged).awaitClose();                                          // token_refused
        rawRequest(port, "Origin: https://evil.example\r\n");                                  // origin_refused
        rawRequest(port, "X-Pad: " + "p".repeat(9_000) + "\r\n");                               // head_too_large
        String short1 = issuer.issue("eve", Duration.ofSeconds(2));
        tokens.add(short1);
        WsClient eve = WsClient.connect(url + short1);
        eve.next();
        WsClient.connect(url + TestTokens.token("eve")).awaitClose();                         // too_many_connections
        String other = issuer.issue("mallory", Duration.ofHours(1));
        tokens.add(other);
        eve.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + other + "\"}}");      // refresh_refused
        assertEquals(4003, eve.awaitClose().code());                                          // token_expired
        try (io.focusmate.realtime.testkit.RawWebSocket flooder = io.focusmate.realtime.testkit.RawWebSocket.connect(
                url + TestTokens.token("flooder"))) {
            byte[] ping = io.focusmate.realtime.testkit.RawWebSocket.frame(0x81, "{\"type\":\"ping\"}".getBytes(
                    StandardCharsets.UTF_8));
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 2_000; i++) {
                burst.writeBytes(ping);
            }
            flooder.sendRaw(burst.toByteArray());
            flooder.awaitClose();                                                             // rate_limit_close
        }
        List<String> expected = List.of("token_refused", "origin_refused", "head_too_large", "too_many_connections",
                "refresh_refused", "token_expired", "rate_limit_close");
        Await.until("every security event to be logged", Duration.ofSeconds(10),
                () -> securityEvents(stderr).keySet().containsAll(expected));
        Map<String, JsonNode> events = securityEvents(stderr);
        for (String event : expected) {
            JsonNode line = events.get(event);
            assertFalse(line.path("reason").asText().isBlank(), "no reason: " + line);
            assertTrue(line.path("timestamp").isTextual() && line.path("level").isTextual(), line.toString());
        }
        assertEquals("eve", events.get("token_expired").path("user").asText());
        assertEquals(431, events.get("head_too_large").path("status").asInt());
        assertEquals("https://evil.example", events.get("origin_refused").path("origin").asText());
        String log = LauncherJar.read(stderr);
        for (String token : tokens) {
            assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "a token reached the log");
        }
    }

    /** The last line of each security event in the JSON log, by its {@code event} field. */
    private static Map<String, JsonNode> securityEvents(Path stderr) {
        Map<String, JsonNode> events = new java.util.HashMap<>();
        for (String line : LauncherJar.read(stderr).lines().toList()) {
            try {
                JsonNode json = JSON.readTree(line);
                if (json.path("logger").asText().endsWith("security")) {
                    events.put(json.path("event").asText(), json);
                }
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line);
            }
        }
        return events;
    }

    /** Sends one upgrade request with an extra header line and reads the status line. */
    private static void rawRequest(int port, String extraHeader) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/v1/notifications/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + "AAAAAAAAAAAAAAAAAAAAAA==\r\n" + extraHeader + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertTrue(status != null && status.matches("HTTP/1.1 4\\d\\d .*"), "not refused: " + status);
        }
    }

    @Test
    void aBadLogFormatExitsWith2AndOneLine() throws Exception {
        Path output = home.resolve("bad.log");
        Process process = start(Map.of("LOG_FORMAT", "yaml"), output);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), LauncherJar.read(output));
        assertEquals(List.of("error: LOG_FORMAT (--log-format) is \"yaml\"; it must be text or json"),
                LauncherJar.read(output).lines().toList());
    }

    /** The jar with these settings, its output (stderr, and the empty stdout of serve) in {@code log}. */
    private Process start(Map<String, String> env, Path log) throws IOException {
        return jar.start(log, env);
    }

}

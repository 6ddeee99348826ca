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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** LOG_FORMAT=json on the jar: every line on stderr is one JSON object, and a refused token says why, not what. */
@Timeout(120)
class JsonLogsIT {
    private static final Path JAR = Path.of("target", "realtime-launcher.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void withLogFormatJsonEveryStderrLineIsAJsonObjectAndARefusedTokenHasItsReasonAndNotTheToken() throws Exception {
        int port = RedisServer.freePort();
        Path stderr = home.resolve("stderr.log");
        Process server = start(Map.of("PORT", String.valueOf(port), "LOG_FORMAT", "json",
                "JWT_SECRET_KEY", TestTokens.SECRET), stderr);
        Await.until("the server to listen", Duration.ofSeconds(30), () -> read(stderr).contains("Listening on"));

        String forged = TestTokens.token("mallory").replaceAll(".$", "A").replaceAll(".(?=.$)", "B");
        WsClient refused = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token=" + forged);
        assertEquals("AUTH_ERROR", refused.next().path("code").asText());
        WsClient alice = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token="
                + TestTokens.token("alice"));
        assertEquals("connected", alice.next().path("type").asText());
        Await.until("the refusal to be logged", Duration.ofSeconds(10), () -> read(stderr).contains("Refused connection"));
        server.destroy(); // SIGTERM: the drain and stop lines too
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));

        List<String> lines = read(stderr).lines().toList();
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
        String log = read(stderr);
        assertFalse(log.contains(forged) || log.contains(forged.substring(forged.lastIndexOf('.') + 1)),
                "the token reached the log");
        assertFalse(log.contains(TestTokens.SECRET));
        System.out.println("JSON log lines: " + lines.size() + "; the refusal: " + refusal);
    }

    @Test
    void aBadLogFormatExitsWith2AndOneLine() throws Exception {
        Path output = home.resolve("bad.log");
        Process process = start(Map.of("LOG_FORMAT", "yaml"), output);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), read(output));
        assertEquals(List.of("error: LOG_FORMAT (--log-format) is \"yaml\"; it must be text or json"),
                read(output).lines().toList());
    }

    private Process start(Map<String, String> env, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString());
        builder.environment().remove("REDIS_URL");
        builder.environment().remove("JWT_SECRET_KEY");
        builder.environment().put("XDG_CONFIG_HOME", home.toString());
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().putAll(env);
        builder.redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

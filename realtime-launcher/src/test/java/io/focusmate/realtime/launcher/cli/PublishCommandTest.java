package io.focusmate.realtime.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.launcher.TestInstance;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code publish} command against a real running instance (HTTP) and a real redis-server (straight). */
@Timeout(60)
class PublishCommandTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String KEY = "test-publish-key-0123456789";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A config home of this test's own: no development key of the machine's is found. */
    @TempDir
    Path config;

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of("publish"));
        all.addAll(List.of(args));
        Map<String, String> withHome = new HashMap<>(env);
        withHome.putIfAbsent("XDG_CONFIG_HOME", config.toString());
        return Main.run(all.toArray(new String[0]), withHome, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String url(TestInstance instance) {
        return "http://127.0.0.1:" + instance.launcher().port();
    }

    private void assertOneLineError(int expected, int code, String... parts) {
        String text = stderr().trim();
        assertEquals(expected, code, text);
        assertEquals(1, text.lines().count(), "one line, not a stack trace: " + text);
        assertTrue(text.startsWith("error: "), text);
        for (String part : parts) {
            assertTrue(text.contains(part), "\"" + part + "\" missing from: " + text);
        }
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.contains(KEY) || stdout().contains(KEY), "the key was printed");
    }

    /** The id on the first line; the second says where the notification landed in its channel's history. */
    private String printedId() {
        java.util.List<String> lines = stdout().trim().lines().toList();
        assertEquals(2, lines.size(), stdout());
        assertTrue(lines.get(1).matches("position notifications:user:\\S.* [A-Za-z0-9_-]{1,32}:[1-9][0-9]*"),
                lines.get(1));
        return lines.get(0);
    }

    @Test
    void aNotificationPublishedThroughARunningInstanceReachesTheUser() {
        try (TestInstance instance = TestInstance.start(Map.of("REALTIME_API_KEY", KEY))) {
            WsClient client = instance.connect("42");
            assertEquals(Exit.OK, run(Map.of("REALTIME_API_KEY", KEY), "--url", url(instance), "--user", "42",
                    "--title", "New friend request", "--message", "Alice sent you a request",
                    "--type", "friend_request", "--data", "{\"routing\":{\"path\":\"/friends\"}}"), stderr());
            String id = printedId();
            assertTrue(id.startsWith("notif-"), id);
            assertEquals("", stderr());

            JsonNode data = client.next().path("data");
            assertEquals(id, data.path("notification_id").asText());
            assertEquals("friend_request", data.path("type").asText());
            assertEquals("New friend request", data.path("title").asText());
            assertEquals("Alice sent you a request", data.path("message").asText());
            assertEquals("/friends", data.path("data").path("routing").path("path").asText());
        }
    }

    @Test
    void aFramePublishedThroughARunningInstanceReachesTheChannelWithTheKeyFromTheFlagAndADefaultType() {
        try (TestInstance instance = TestInstance.start(Map.of("REALTIME_API_KEY", KEY))) {
            WsClient client = instance.connect("user 7");
            assertEquals(Exit.OK, run(Map.of(), "--url", url(instance) + "/", "--api-key", KEY,
                    "--channel", "notifications:broadcast", "--data", "{\"type\":\"announcement\",\"data\":{}}"),
                    stderr());
            assertEquals("published to notifications:broadcast", stdout().trim().lines().findFirst().orElseThrow());
            assertTrue(stdout().contains("position notifications:broadcast "), stdout());
            assertEquals("{\"type\":\"announcement\",\"data\":{}}", client.nextText());

            assertEquals(Exit.OK, run(Map.of("REALTIME_API_KEY", KEY), "--url", url(instance), "--user", "user 7",
                    "--title", "T", "--message", "M"), stderr());
            JsonNode data = client.next().path("data");
            assertEquals(printedId(), data.path("notification_id").asText());
            assertEquals(PublishCommand.DEFAULT_TYPE, data.path("type").asText());
        }
    }

    @Test
    void aNotificationPublishedStraightToRedisReachesTheUserOnAnInstanceWithTheSamePrefix() {
        String prefix = RedisExtension.uniquePrefix();
        try (TestInstance instance = TestInstance.start(Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX",
                prefix))) {
            WsClient client = instance.connect("42");
            assertEquals(Exit.OK, run(Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix),
                    "--user", "42", "--title", "Hi", "--message", "straight to Redis"), stderr());
            JsonNode data = client.next().path("data");
            assertEquals(printedId(), data.path("notification_id").asText());
            assertEquals("straight to Redis", data.path("message").asText());

            assertEquals(Exit.OK, run(Map.of(), "--redis-url", REDIS.url(), "--redis-key-prefix", prefix,
                    "--channel", "notifications:user:42", "--data", "{\"type\":\"raw\",\"n\":1}"), stderr());
            assertEquals("{\"type\":\"raw\",\"n\":1}", client.nextText());
        }
    }

    @Test
    void aBadCommandLineExitsWith2AndOneLine() {
        Map<String, String> env = Map.of("REALTIME_API_KEY", KEY);
        String url = "http://127.0.0.1:1";
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--title", "T", "--message", "M"), "--user",
                "--channel");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--user", "1", "--channel", "c", "--data", "{}"),
                "not both");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--user", "42", "--title", "T"), "--message");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--user", "42", "--title", "T", "--message", "M",
                "--data", "{oops"), "--data", "JSON");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--user", "42", "--title", "T", "--message", "M",
                "--data", "[1]"), "--data", "object");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--channel", "c", "--data", "{\"kind\":\"x\"}"),
                "--data", "\"type\"");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--channel", "c"), "--data");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--channel", "c", "--title", "T", "--data",
                "{\"type\":\"x\"}"), "--title");
        assertOneLineError(Exit.USAGE, run(Map.of(), "--url", url, "--user", "42", "--title", "T", "--message",
                "M"), "REALTIME_API_KEY");
        assertOneLineError(Exit.USAGE, run(env, "--user", "42", "--title", "T", "--message", "M"), "--url",
                "--redis-url");
        assertOneLineError(Exit.USAGE, run(env, "--url", "localhost:8000", "--user", "42", "--title", "T",
                "--message", "M"), "--url", "http://");
        assertOneLineError(Exit.USAGE, run(Map.of("REDIS_URL", "localhost:6379"), "--user", "42", "--title", "T",
                "--message", "M"), "REDIS_URL", "redis://");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--user", "42", "--title", "T", "--message", "M",
                "--timeout", "soon"), "--timeout");
        assertOneLineError(Exit.USAGE, run(env, "--url", url, "--usr", "42"), "--usr");
    }

    @Test
    void aRefusalByTheServerExitsWith3AndSaysWhy() {
        try (TestInstance instance = TestInstance.start(Map.of("REALTIME_API_KEY", KEY))) {
            assertOneLineError(Exit.REFUSED, run(Map.of("REALTIME_API_KEY", "a-wrong-key-but-long-enough"),
                    "--url", url(instance), "--user", "42", "--title", "T", "--message", "M"), "403", "forbidden");
            assertOneLineError(Exit.REFUSED, run(Map.of("REALTIME_API_KEY", KEY), "--url", url(instance),
                    "--user", "42", "--title", "T", "--message", "x".repeat(70_000)), "413", "payload_too_large");
        }
        try (TestInstance off = TestInstance.inMemory()) {
            assertOneLineError(Exit.REFUSED, run(Map.of("REALTIME_API_KEY", KEY), "--url", url(off), "--user",
                    "42", "--title", "T", "--message", "M"), "404", "publish_api_disabled");
        }
    }

    @Test
    void whenNothingWasPublishedTheExitCodeIs4() {
        int closed = RedisServer.freePort();
        assertOneLineError(Exit.NOT_PUBLISHED, run(Map.of("REALTIME_API_KEY", KEY), "--url",
                "http://127.0.0.1:" + closed, "--user", "42", "--title", "T", "--message", "M"), "not published",
                "cannot connect");
        assertOneLineError(Exit.NOT_PUBLISHED, run(Map.of("REDIS_URL", "redis://127.0.0.1:" + closed), "--user",
                "42", "--title", "T", "--message", "M"), "not published", "127.0.0.1:" + closed, "unreachable");

        try (TestInstance instance = TestInstance.start(Map.of("REALTIME_API_KEY", KEY, "REDIS_URL", REDIS.url(),
                "REDIS_KEY_PREFIX", RedisExtension.uniquePrefix()))) {
            REDIS.stop();
            try {
                assertOneLineError(Exit.NOT_PUBLISHED, run(Map.of("REALTIME_API_KEY", KEY), "--url", url(instance),
                        "--channel", "notifications:broadcast", "--data", "{\"type\":\"x\"}"), "not published",
                        "503", "broker_unavailable");
            } finally {
                REDIS.restart();
            }
        }
    }

    @Test
    void publishHasHelpAndTheGeneralHelpListsIt() {
        assertEquals(Exit.OK, run(Map.of(), "--help"));
        for (String part : List.of("--user", "--channel", "--url", "--redis-url", "REALTIME_API_KEY", "Exit codes")) {
            assertTrue(stdout().contains(part), part + " missing from publish --help");
        }
        out.reset();
        assertEquals(Exit.OK, Main.run(new String[] {"--help"}, Map.of(), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(stdout().contains("publish"), stdout());
    }
}

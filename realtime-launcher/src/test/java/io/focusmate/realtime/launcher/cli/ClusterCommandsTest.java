package io.focusmate.realtime.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.launcher.TestInstance;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The commands on a Redis Cluster: {@code migrate-to-cluster} moves a deployment from one Redis and its clients notice
 * nothing; {@code publish} goes straight to the cluster as it goes to one Redis.
 */
@Timeout(120)
class ClusterCommandsTest {
    @RegisterExtension
    static final RedisExtension ONE = new RedisExtension();
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    private final String prefix = RedisExtension.uniquePrefix();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return command("migrate-to-cluster", args);
    }

    private int command(String name, String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(name));
        all.addAll(List.of(args));
        return Main.run(all.toArray(new String[0]), Map.of("REDIS_KEY_PREFIX", prefix),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void chatsAndNotificationHistoriesWrittenOnOneRedisAreThereForClientsOnTheClusterAfterTheMigration() {
        ONE.command("SADD", prefix + "matching:chat:c1:members", "alice", "bob");
        String position;
        try (TestInstance before = TestInstance.start(Map.of("REDIS_URL", ONE.url(), "REDIS_KEY_PREFIX", prefix))) {
            try (WsClient alice = before.chat("alice", "c1", null)) {
                for (int i = 1; i <= 3; i++) {
                    alice.send("{\"type\":\"message\",\"data\":{\"content\":\"hi " + i + "\"}}");
                    alice.nextOfType("message");
                }
            }
            var publication = before.gateway().notifications().publishFrame("notifications:user:bob",
                    "{\"type\":\"notification\",\"data\":{\"title\":\"while you were away\"}}");
            position = publication.position().epoch() + ":0";
        }

        assertEquals(Exit.OK, run("--from", ONE.url(), "--to", CLUSTER.url()), err.toString(StandardCharsets.UTF_8));
        // the chat's members, seq and history, the channel's history and meta
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("copied 5 key(s)"), out.toString());

        try (TestInstance after = TestInstance.start(Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX", prefix));
             WsClient bob = after.chat("bob", "c1", 0L);
             WsClient notifications = WsClient.connect(after.notificationsUrl(TestTokens.token("bob")) + "&since="
                     + position)) {
            JsonNode history = bob.nextOfType("history").path("data");
            assertEquals(3, history.path("messages").size(), history.toString());
            assertEquals("hi 3", history.path("messages").get(2).path("content").asText());
            JsonNode recovery = notifications.next().path("recovery").path("user");
            assertTrue(recovery.path("recovered").asBoolean(), recovery.toString());
            assertEquals("while you were away",
                    notifications.nextOfType("notification").path("data").path("title").asText());
        }
    }

    @Test
    void thePublishCommandGoesStraightToTheClusterAndTheUsersClientGetsItWithItsPosition() {
        try (TestInstance instance = TestInstance.start(Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX",
                prefix));
             WsClient carol = WsClient.connect(instance.notificationsUrl(TestTokens.token("carol")) + "&recover=true")) {
            carol.next();
            assertEquals(Exit.OK, command("publish", "--redis-url", CLUSTER.url(), "--user", "carol", "--title", "Hi",
                    "--message", "from the command line"), err.toString(StandardCharsets.UTF_8));
            JsonNode frame = carol.nextOfType("notification");
            assertEquals("from the command line", frame.path("data").path("message").asText());
            assertEquals("notifications:user:carol", frame.path("channel").asText());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("position notifications:user:carol "
                    + frame.path("epoch").asText() + ":1"), out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aMissingTargetIsABadCommandLineAndAnUnreachableRedisIsExitCodeFour() {
        assertEquals(Exit.USAGE, run("--from", ONE.url()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("migrate-to-cluster needs --to"), err.toString());
        assertEquals(Exit.USAGE, run("--from", CLUSTER.url(), "--to", CLUSTER.url()));
        assertEquals(Exit.NOT_PUBLISHED, run("--from", "redis://127.0.0.1:" + RedisServer.freePort(), "--to",
                CLUSTER.url()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not copied: Redis at redis://127.0.0.1:"),
                err.toString());
    }
}

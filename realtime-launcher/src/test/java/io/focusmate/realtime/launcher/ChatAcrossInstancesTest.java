package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chat acceptance 3, 4 and 5: two instances on one Redis. */
@Timeout(120)
class ChatAcrossInstancesTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private String prefix;
    private TestInstance one;
    private TestInstance two;
    private final String room = "c-" + UUID.randomUUID().toString().substring(0, 8);



    /** The Redis the instances share: a subclass runs every test on another (a cluster). */
    protected String redisUrl() {
        return REDIS.url();
    }

    /** What the matching service does when it matches users: SADD to the chat's members set. */
    protected void addMembers(String prefix, String room, String... users) {
        List<String> command = new ArrayList<>(List.of("SADD", prefix + "matching:chat:" + room + ":members"));
        command.addAll(List.of(users));
        REDIS.command(command.toArray(new String[0]));
    }

    @BeforeEach
    void start() {
        prefix = RedisExtension.uniquePrefix();
        // not about rate limits: these tests send faster than the default CHAT_MESSAGE_RATE of 5/s
        Map<String, String> env = Map.of("REDIS_URL", redisUrl(), "REDIS_KEY_PREFIX", prefix,
                "CHAT_HISTORY_SIZE", "20", "CHAT_MESSAGE_RATE", "1000/s");
        one = TestInstance.start(env, Clock.systemUTC(), b -> b.typingTimeout(Duration.ofMillis(400)));
        two = TestInstance.start(env, Clock.systemUTC(), b -> b.typingTimeout(Duration.ofMillis(400)));
        // what the matching service does when it matches alice and bob
        addMembers(prefix, room, "alice", "bob");
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
    }

    private static String message(String content, String clientMsgId) {
        return "{\"type\":\"message\",\"data\":{\"content\":\"" + content + "\""
                + (clientMsgId == null ? "" : ",\"client_msg_id\":\"" + clientMsgId + "\"") + "}}";
    }

    private static List<JsonNode> messages(WsClient client, int count) {
        List<JsonNode> got = new ArrayList<>();
        while (got.size() < count) {
            JsonNode frame = client.next();
            if ("message".equals(frame.path("type").asText())) {
                got.add(frame.path("data"));
            }
        }
        return got;
    }

    @Test
    void messagesFromTwoInstancesArriveEverywhereInOneOrderWithMonotonicIds() throws Exception {
        WsClient alice = one.chat("alice", room, null);
        WsClient bob = two.chat("bob", room, null);
        Thread fromBob = new Thread(() -> {
            for (int i = 0; i < 30; i++) {
                bob.send(message("b" + i, null));
            }
        });
        fromBob.start();
        for (int i = 0; i < 30; i++) {
            alice.send(message("a" + i, null));
        }
        fromBob.join();
        List<JsonNode> atAlice = messages(alice, 60);
        List<JsonNode> atBob = messages(bob, 60);
        for (int i = 0; i < 60; i++) {
            assertEquals(i + 1, atAlice.get(i).path("message_id").asLong(), "ids are 1..60 in order");
            assertEquals(atAlice.get(i).toString(), atBob.get(i).toString(), "both see the same sequence");
        }
        JsonNode first = atAlice.get(0);
        assertTrue(first.has("sender_id") && first.has("content") && first.has("created_at")
                && first.has("client_msg_id"), first.toString());
    }

    @Test
    void aRetriedClientMsgIdIsAcknowledgedAgainButNeverDuplicated() {
        WsClient alice = one.chat("alice", room, null);
        WsClient bob = two.chat("bob", room, null);
        alice.send(message("hello", "m-1"));
        JsonNode ack = alice.nextOfType("message").path("data");
        assertEquals("m-1", ack.path("client_msg_id").asText());
        assertEquals("alice", ack.path("sender_id").asText());
        alice.send(message("hello", "m-1"));
        JsonNode again = alice.nextOfType("message").path("data");
        assertEquals(ack.toString(), again.toString(), "the retry gets the same message back");
        alice.send(message("next", "m-2"));
        List<JsonNode> atBob = messages(bob, 2);
        assertEquals(List.of("hello", "next"), List.of(atBob.get(0).path("content").asText(),
                atBob.get(1).path("content").asText()), "bob got the retried message once");
    }

    @Test
    void typingReachesTheOthersButNotTheSenderAndStopsByItself() {
        WsClient alice = one.chat("alice", room, null);
        WsClient bob = two.chat("bob", room, null);
        alice.send("{\"type\":\"typing\",\"data\":{\"is_typing\":true}}");
        JsonNode typing = bob.next();
        assertEquals("typing", typing.path("type").asText());
        assertEquals("alice", typing.path("data").path("user_id").asText());
        assertTrue(typing.path("data").path("is_typing").asBoolean());
        assertTrue(typing.path("data").path("expires_in_ms").asLong() > 0);
        // no stop is ever sent: the server stops it after the typing timeout
        JsonNode stopped = bob.next();
        assertEquals("typing", stopped.path("type").asText());
        assertFalse(stopped.path("data").path("is_typing").asBoolean());
        alice.send(message("marker", null));
        assertEquals("message", alice.next().path("type").asText(), "alice never saw her own typing");
    }

    @Test
    void aBurstOfTypingIsThrottled() {
        WsClient alice = one.chat("alice", room, null);
        WsClient bob = two.chat("bob", room, null);
        for (int i = 0; i < 20; i++) {
            alice.send("{\"type\":\"typing\",\"data\":{\"is_typing\":true}}");
        }
        alice.send("{\"type\":\"typing\",\"data\":{\"is_typing\":false}}");
        assertTrue(bob.next().path("data").path("is_typing").asBoolean());
        assertFalse(bob.next().path("data").path("is_typing").asBoolean(), "20 keystrokes, one start, one stop");
    }

    @Test
    void readPositionsOnlyMoveForward() {
        WsClient alice = one.chat("alice", room, null);
        WsClient bob = two.chat("bob", room, null);
        for (int i = 0; i < 5; i++) {
            bob.send(message("m" + i, null));
        }
        messages(alice, 5);
        messages(bob, 5);
        alice.send("{\"type\":\"read\",\"data\":{\"message_id\":4}}");
        JsonNode read = bob.next();
        assertEquals("read", read.path("type").asText());
        assertEquals(4, read.path("data").path("message_id").asLong());
        assertEquals("alice", read.path("data").path("user_id").asText());
        alice.send("{\"type\":\"read\",\"data\":{\"message_id\":2}}");
        alice.send("{\"type\":\"read\",\"data\":{\"message_id\":999}}");
        assertEquals("INVALID_MESSAGE", alice.next().path("code").asText(), "999 is not a message");
        alice.send("{\"type\":\"read\",\"data\":{\"message_id\":5}}");
        assertEquals(5, bob.next().path("data").path("message_id").asLong(), "the backwards read was not announced");
    }

    @Test
    void aReconnectingClientGetsExactlyWhatItMissedThenLiveMessagesWithoutDuplicates() throws Exception {
        WsClient bob = two.chat("bob", room, null);
        for (int i = 1; i <= 6; i++) {
            bob.send(message("m" + i, null));
        }
        messages(bob, 6);
        // alice saw up to 2; while she reconnects, bob keeps writing
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int n = 7;
            while (writing.get() && n <= 14) {
                bob.send(message("m" + n++, null));
            }
        });
        writer.start();
        WsClient alice = one.chat("alice", room, 2L);
        JsonNode history = alice.nextOfType("history").path("data");
        assertTrue(history.path("recovered").asBoolean());
        writer.join();
        bob.send(message("last", null));
        List<Long> ids = new ArrayList<>();
        history.path("messages").forEach(m -> ids.add(m.path("message_id").asLong()));
        long lastInHistory = ids.get(ids.size() - 1);
        assertEquals(history.path("last_message_id").asLong(), lastInHistory);
        while (ids.get(ids.size() - 1) < 15) {
            JsonNode frame = alice.next();
            if ("message".equals(frame.path("type").asText())) {
                ids.add(frame.path("data").path("message_id").asLong());
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long id = 3; id <= 15; id++) {
            expected.add(id);
        }
        assertEquals(expected, ids, "missed messages, then live ones: no gap, no duplicate");
    }

    @Test
    void aGapOlderThanTheHistoryIsReportedAsNotRecovered() {
        WsClient bob = two.chat("bob", room, null);
        for (int i = 1; i <= 30; i++) {
            bob.send(message("m" + i, null));
        }
        messages(bob, 30);
        WsClient alice = one.chat("alice", room, 3L);
        JsonNode history = alice.nextOfType("history").path("data");
        assertFalse(history.path("recovered").asBoolean(), "messages 4 to 10 were trimmed (history size 20)");
        Set<Long> ids = new HashSet<>();
        history.path("messages").forEach(m -> ids.add(m.path("message_id").asLong()));
        assertEquals(20, ids.size());
        assertTrue(ids.contains(30L) && ids.contains(11L), ids.toString());
    }

    @Test
    void aNonMemberIsRefusedWithForbiddenAnd1008() {
        WsClient mallory = WsClient.connect(one.url("/api/v1/matching/chat/" + room + "/ws?token="
                + TestTokens.token("mallory")));
        JsonNode error = mallory.next();
        assertEquals("FORBIDDEN", error.path("code").asText());
        WsClient.Close close = mallory.awaitClose();
        assertEquals(1008, close.code());
        assertEquals("Forbidden", close.reason());
    }
}

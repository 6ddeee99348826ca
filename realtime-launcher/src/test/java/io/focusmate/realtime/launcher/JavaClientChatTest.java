package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.client.ChatConnection;
import io.focusmate.realtime.client.ChatMessage;
import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TcpProxy;
import io.focusmate.realtime.testkit.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client's chat against real launchers (and a real Redis): messages sent while the client is away are
 * queued, sent on reconnect with their client_msg_id and stored once; every message id is delivered once, in order.
 */
@Timeout(120)
class JavaClientChatTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final ClientOptions FAST = ClientOptions.defaults()
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    private final Closer toClose = new Closer();
    private final String room = "c-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    private RealtimeClient client(Supplier<String> baseUrl, String user, ClientOptions options) {
        return toClose.add(RealtimeClient.builder().baseUrl(baseUrl)
                .tokens(() -> CompletableFuture.completedFuture(TestTokens.token(user))).options(options).build());
    }

    @Test
    void messagesSentWhileTheClientIsMovedToAnotherInstanceAreQueuedAndDeliveredOnceEach() {
        String prefix = RedisExtension.uniquePrefix();
        Map<String, String> settings = Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix);
        REDIS.command("SADD", prefix + "matching:chat:" + room + ":members", "alice", "bob");
        TestInstance stable = toClose.add(TestInstance.start(settings));
        TestInstance first = TestInstance.start(settings);
        ClientEvents alice = new ClientEvents();
        ClientEvents bob = new ClientEvents();
        AtomicReference<String> current = new AtomicReference<>(first.url(""));
        ChatConnection aliceChat = client(current::get, "alice", FAST).chat(room, alice);
        ChatConnection bobChat = client(() -> stable.url(""), "bob", FAST).chat(room, bob);
        Await.until("both connected", () -> aliceChat.state() == ConnectionState.CONNECTED
                && bobChat.state() == ConnectionState.CONNECTED);
        aliceChat.send("before");
        Await.until("the first message on both", () -> alice.messages.size() == 1 && bob.messages.size() == 1);

        first.close();
        Await.until("alice to lose her instance", () -> aliceChat.state() == ConnectionState.RECONNECTING);
        List<String> sent = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            sent.add(aliceChat.send("away " + n));
        }
        for (int n = 1; n <= 3; n++) {
            bobChat.send("bob " + n);
        }
        Await.until("bob's three", () -> bob.messages.size() == 4);
        try (TestInstance second = TestInstance.start(settings)) {
            current.set(second.url(""));
            Await.until("all twelve on both", Duration.ofSeconds(30),
                    () -> alice.messages.size() >= 12 && bob.messages.size() >= 12);
            bobChat.send("last");
            Await.until("the last on both", () -> alice.messages.size() >= 13 && bob.messages.size() >= 13);
        }

        List<Long> everyId = LongStream.rangeClosed(1, 13).boxed().toList();
        assertEquals(everyId, alice.messageIds(), "alice: every id once, in order");
        assertEquals(everyId, bob.messageIds(), "bob: every id once, in order");
        assertEquals(sent, bob.messages.stream().filter(m -> m.senderId().equals("alice") && m.content().startsWith("away"))
                .map(ChatMessage::clientMsgId).toList(), "each queued message stored once, in the order sent");
        assertEquals(13, aliceChat.lastMessageId());
        assertEquals(List.of(), alice.gaps);
    }

    @Test
    void aMessageWhoseAcknowledgementWasLostIsSentAgainWithItsClientMsgIdAndStoredOnce() throws Exception {
        TestInstance gateway = toClose.add(TestInstance.start(Map.of("CHAT_MEMBERSHIP", "open")));
        TcpProxy proxy = toClose.add(new TcpProxy(gateway.launcher().port()));
        ClientEvents alice = new ClientEvents();
        ClientEvents bob = new ClientEvents();
        ChatConnection aliceChat = client(() -> "ws://127.0.0.1:" + proxy.port(), "alice",
                FAST.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(500))).chat(room, alice);
        ChatConnection bobChat = client(() -> gateway.url(""), "bob", FAST).chat(room, bob);
        Await.until("both connected", () -> aliceChat.state() == ConnectionState.CONNECTED
                && bobChat.state() == ConnectionState.CONNECTED);

        proxy.deafenExisting(); // what alice sends still arrives; nothing comes back to her
        String lost = aliceChat.send("stored, but the answer is lost");
        Await.until("bob to get it", () -> bob.messages.size() == 1);
        Await.until("alice to reconnect", () -> alice.connects() == 2);
        aliceChat.send("after");
        Await.until("the second message on both", () -> alice.messages.size() >= 2 && bob.messages.size() >= 2);

        assertEquals(List.of(1L, 2L), bob.messageIds(), "the retry was not stored again");
        assertEquals(List.of(1L, 2L), alice.messageIds());
        assertEquals(lost, alice.messages.get(0).clientMsgId());
        assertEquals("after", bob.messages.get(1).content());
    }

    @Test
    void aBurstOverTheChatRateLimitIsSentAgainUntilEachMessageIsStoredOnceAndASavedIdResumesAfterIt() {
        TestInstance gateway = toClose.add(TestInstance.start(Map.of("CHAT_MEMBERSHIP", "open"))); // 5/s, bursts of 10
        ClientEvents alice = new ClientEvents();
        ClientEvents bob = new ClientEvents();
        ChatConnection aliceChat = client(() -> gateway.url(""), "alice", FAST).chat(room, alice);
        ChatConnection bobChat = client(() -> gateway.url(""), "bob", FAST).chat(room, bob);
        Await.until("both connected", () -> aliceChat.state() == ConnectionState.CONNECTED
                && bobChat.state() == ConnectionState.CONNECTED);
        Set<String> sent = new HashSet<>();
        for (int n = 1; n <= 15; n++) {
            sent.add(aliceChat.send("burst " + n));
        }
        Await.until("all fifteen on bob", Duration.ofSeconds(20), () -> bob.messages.size() >= 15);
        Await.until("all fifteen on alice", () -> alice.messages.size() >= 15);

        assertTrue(alice.errors.stream().anyMatch(e -> e.code().equals("RATE_LIMITED")), "the burst was over the limit");
        List<Long> ids = LongStream.rangeClosed(1, 15).boxed().toList();
        assertEquals(ids, bob.messageIds(), "each stored once");
        assertEquals(ids, alice.messageIds());
        assertEquals(sent, bob.messages.stream().map(ChatMessage::clientMsgId).collect(Collectors.toSet()));

        ClientEvents later = new ClientEvents();
        client(() -> gateway.url(""), "bob", FAST).chat(room, 10, later);
        Await.until("the five after id 10", () -> later.messages.size() >= 5);
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), later.messageIds());
    }
}

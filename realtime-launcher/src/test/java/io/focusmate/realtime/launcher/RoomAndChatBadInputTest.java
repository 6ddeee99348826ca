package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.chat.ChatMembershipPolicy;
import io.focusmate.realtime.launcher.server.RealtimeServer;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.rooms.RoomPolicy;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rooms and chat acceptance 5: refusals and bad input get the documented answers, and the room stays healthy. */
@Timeout(60)
class RoomAndChatBadInputTest {
    private TestInstance gateway;
    private TestInstance.Joined bystander;

    @BeforeEach
    void start() {
        gateway = TestInstance.start(Map.of("CHAT_MEMBERSHIP", "open"));
        bystander = gateway.joinRoom("bystander", "r1");
    }

    @AfterEach
    void stop() {
        bystander.client().send("{\"type\":\"ping\"}");
        assertEquals("pong", bystander.client().nextOfType("pong").path("type").asText());
        gateway.close();
    }

    private static void assertRefused(WsClient client, String code, int closeCode, String reason) {
        assertEquals(code, client.next().path("code").asText());
        WsClient.Close close = client.awaitClose();
        assertEquals(closeCode, close.code());
        assertEquals(reason, close.reason());
    }

    private WsClient raw(String path, String user) {
        return WsClient.connect(gateway.url(path + (path.contains("?") ? "&" : "?") + "token=" + TestTokens.token(user)));
    }

    @Test
    void anInvalidRoomIdIsRefusedWithInvalidMessageAnd1008() {
        assertRefused(raw("/ws/room/a:b", "u"), "INVALID_MESSAGE", 1008, "Invalid room id");
        assertRefused(raw("/api/v1/matching/chat/" + "x".repeat(129) + "/ws", "u"), "INVALID_MESSAGE", 1008,
                "Invalid room id");
    }

    @Test
    void aBadTokenOnRoomAndChatIsRefusedLikeOnNotifications() {
        assertRefused(WsClient.connect(gateway.url("/ws/room/r1?token=garbage")), "AUTH_ERROR", 1008,
                "Authentication failed");
        assertRefused(WsClient.connect(gateway.url("/api/v1/matching/chat/c1/ws")), "AUTH_ERROR", 1008,
                "Authentication failed");
    }

    @Test
    void aBadLastMessageIdIsRefused() {
        assertRefused(raw("/api/v1/matching/chat/c1/ws?last_message_id=abc", "u"), "INVALID_MESSAGE", 1008,
                "Invalid room id");
    }

    @Test
    void malformedUnknownAndInvalidRoomFramesGetErrorsAndTheConnectionStaysOpen() {
        WsClient client = gateway.joinRoom("u", "r1").client();
        client.send("{oops");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"dance\"}");
        assertEquals("UNKNOWN_TYPE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"timer_start\"}");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":0}}");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":1.5}}");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"timer_pause\"}");
        JsonNode conflict = client.nextOfType("error");
        assertEquals("CONFLICT", conflict.path("code").asText());
        client.send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"big\":\"" + "x".repeat(5000) + "\"}}}");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"update_settings\",\"data\":{\"settings\":[1]}}");
        assertEquals("INVALID_MESSAGE", client.nextOfType("error").path("code").asText());
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.nextOfType("pong").path("type").asText());
    }

    @Test
    void oversizeAndBinaryFramesCloseRoomAndChatConnectionsAsOnNotifications() {
        WsClient room = gateway.joinRoom("u", "r1").client();
        room.send("{\"type\":\"x\",\"data\":\"" + "x".repeat(11_000) + "\"}");
        assertEquals(1009, room.awaitClose().code());
        WsClient chat = gateway.chat("u", "c1", null);
        chat.sendBinary(new byte[] {1});
        assertEquals(1003, chat.awaitClose().code());
    }

    @Test
    void badChatMessagesGetInvalidMessage() {
        WsClient chat = gateway.chat("u", "c1", null);
        chat.send("{\"type\":\"message\",\"data\":{\"content\":\"   \"}}");
        assertEquals("INVALID_MESSAGE", chat.nextOfType("error").path("code").asText());
        chat.send("{\"type\":\"message\",\"data\":{\"content\":\"" + "y".repeat(2001) + "\"}}");
        assertEquals("INVALID_MESSAGE", chat.nextOfType("error").path("code").asText());
        chat.send("{\"type\":\"message\",\"data\":{\"content\":\"ok\",\"client_msg_id\":7}}");
        assertEquals("INVALID_MESSAGE", chat.nextOfType("error").path("code").asText());
        chat.send("{\"type\":\"typing\",\"data\":{\"is_typing\":\"yes\"}}");
        assertEquals("INVALID_MESSAGE", chat.nextOfType("error").path("code").asText());
        chat.send("{\"type\":\"message\",\"data\":{\"content\":\"ok\"}}");
        assertEquals(1, chat.nextOfType("message").path("data").path("message_id").asLong());
    }

    @Test
    void aNonMemberWhoseFramesWaitBehindTheMembershipCheckPostsNothing() throws Exception {
        java.util.concurrent.CountDownLatch checking = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch decide = new java.util.concurrent.CountDownLatch(1);
        io.focusmate.realtime.chat.ChatMembershipPolicy slowForMallory = (user, roomId) -> {
            if (!user.userId().equals("mallory")) {
                return true;
            }
            checking.countDown();
            try {
                decide.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        try (InMemoryPubSub pubSub = new InMemoryPubSub();
             Gateway embedded = Gateway.builder().pubSub(pubSub).chatMembership(slowForMallory)
                     .authenticator(JwtAuthenticator.builder(TestTokens.SECRET).build()).build();
             RealtimeServer server = RealtimeServer.builder(embedded).host("127.0.0.1").port(0).build().start()) {
            String base = "ws://127.0.0.1:" + server.port() + "/api/v1/matching/chat/c9/ws?token=";
            WsClient alice = WsClient.connect(base + TestTokens.token("alice"));
            assertEquals("connected", alice.next().path("type").asText());
            WsClient mallory = WsClient.connect(base + TestTokens.token("mallory"));
            assertTrue(checking.await(10, java.util.concurrent.TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) {
                mallory.send("{\"type\":\"message\",\"data\":{\"content\":\"spam\"}}");
            }
            mallory.send("{\"type\":\"ping\"}"); // answered at once: proves the frames above were taken in
            decide.countDown();
            assertEquals(1008, mallory.awaitClose().code());
            alice.send("{\"type\":\"message\",\"data\":{\"content\":\"marker\"}}");
            JsonNode first = alice.nextOfType("message").path("data");
            assertEquals("marker", first.path("content").asText(), "a non-member's message got through");
            assertEquals(1, first.path("message_id").asLong());
        }
    }

    @Test
    void aRoomPolicyRefusalIsForbiddenAnd1008OnJoinAndAnErrorOnControl() throws Exception {
        RoomPolicy policy = new RoomPolicy() {
            @Override
            public boolean canJoin(Principal user, String roomId) {
                return !roomId.equals("private");
            }

            @Override
            public boolean canControl(Principal user, String roomId) {
                return user.userId().equals("host");
            }
        };
        try (InMemoryPubSub pubSub = new InMemoryPubSub();
             Gateway embedded = Gateway.builder().pubSub(pubSub).roomPolicy(policy)
                     .authenticator(JwtAuthenticator.builder(TestTokens.SECRET).build()).build();
             RealtimeServer server = RealtimeServer.builder(embedded).host("127.0.0.1").port(0).build().start()) {
            String base = "ws://127.0.0.1:" + server.port() + "/ws/room/";
            assertRefused(WsClient.connect(base + "private?token=" + TestTokens.token("guest")), "FORBIDDEN", 1008,
                    "Forbidden");
            WsClient guest = WsClient.connect(base + "open?token=" + TestTokens.token("guest"));
            assertEquals("room_state", guest.next().path("type").asText());
            guest.send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":60}}");
            JsonNode refused = guest.nextOfType("error");
            assertEquals("FORBIDDEN", refused.path("code").asText());
            assertTrue(refused.path("message").asText().contains("open"));
            guest.send("{\"type\":\"ping\"}");
            assertEquals("pong", guest.nextOfType("pong").path("type").asText());
        }
    }
}

package io.focusmate.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.chat.Posted;
import io.focusmate.realtime.chat.ReadOutcome;
import io.focusmate.realtime.protocol.ChatFrames;
import io.focusmate.realtime.protocol.ClientMessage;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.protocol.ProtocolException;
import io.focusmate.realtime.protocol.ServerFrames;
import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/matching/chat/{room_id}/ws}: messages with server ids, retry deduplication, typing that expires by
 * itself, forward-only read positions, and replay of missed messages on reconnect. State lives in a
 * {@link ChatStore}; all work for a room runs on its state stripe, in order.
 */
final class ChatEndpoint implements EndpointHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);
    static final int MAX_CLIENT_MSG_ID = 64;

    private final Gateway gateway;
    private final ChatStore store;
    private final ChatMembershipPolicy membership;
    private final StateExecutor state;
    /** Added and removed only on the room's stripe. */
    private final Map<String, LocalChat> chats = new ConcurrentHashMap<>();
    /** Added and removed only on the room's stripe. */
    private final Map<String, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    /** By room and user; each entry is touched only on its room's stripe. */
    private final Map<String, Typing> typing = new ConcurrentHashMap<>();

    /** One user's typing state in one room; confined to the room's stripe. */
    private static final class Typing {
        boolean active;
        long lastBroadcast;
        ScheduledFuture<?> expiry;
    }

    ChatEndpoint(Gateway gateway, ChatStore store, ChatMembershipPolicy membership, StateExecutor state) {
        this.gateway = gateway;
        this.store = store;
        this.membership = membership;
        this.state = state;
    }

    static String channel(String roomId) {
        return "matching:chat:" + roomId;
    }

    @Override
    public void onOpen(Connection connection, Handshake handshake) {
        String roomId = RoomIds.require(connection, handshake);
        if (roomId == null) {
            return;
        }
        Long lastSeen = null;
        String since = handshake.query().get("last_message_id");
        if (since != null) {
            try {
                lastSeen = Long.parseLong(since);
            } catch (NumberFormatException e) {
                lastSeen = -1L;
            }
            if (lastSeen < 0) {
                connection.refuse(ErrorCode.INVALID_MESSAGE, "last_message_id must be a whole number >= 0",
                        CloseCode.INVALID_ROOM);
                return;
            }
        }
        connection.room(roomId);
        Long after = lastSeen;
        state.execute(roomId, () -> join(connection, roomId, after));
    }

    private void join(Connection connection, String roomId, Long after) {
        if (connection.isReleased()) {
            return;
        }
        boolean member;
        try {
            member = membership.isMember(connection.principal(), roomId);
        } catch (RuntimeException e) {
            LOG.warn("Membership check failed for {} in chat {}: {}", connection, roomId, e.toString());
            connection.refuse(ErrorCode.INTERNAL, "Chat state is unavailable; retry later", CloseCode.INTERNAL_ERROR);
            return;
        }
        if (!member) {
            connection.refuse(ErrorCode.FORBIDDEN, "Not a member of chat room " + roomId, CloseCode.FORBIDDEN);
            return;
        }
        LocalChat chat = chats.get(roomId);
        if (chat == null) {
            chat = new LocalChat(roomId, channel(roomId));
            chats.put(roomId, chat);
            ready.put(roomId, gateway.joinChannel(chat.channel, chat));
        }
        chat.add(connection, connection.principal().userId());
        LocalChat joined = chat;
        ready.get(roomId).copy()
                .completeOnTimeout(null, gateway.config().subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> state.execute(roomId, () -> replay(connection, joined, after)));
    }

    private void replay(Connection connection, LocalChat chat, Long after) {
        if (!chat.contains(connection)) {
            return;
        }
        long watermark = 0;
        if (after != null) {
            try {
                History history = store.history(chat.roomId, after, gateway.config().chatReplayMax());
                connection.sendFirst(ChatFrames.history(chat.roomId, history));
                watermark = history.lastMessageId();
            } catch (RuntimeException e) {
                LOG.warn("History unavailable for chat {}: {}", chat.roomId, e.toString());
                connection.refuse(ErrorCode.INTERNAL, "Chat history is unavailable; retry later",
                        CloseCode.INTERNAL_ERROR);
                return;
            }
        }
        connection.sendFirst(ChatFrames.connected(connection.principal().userId(), chat.roomId));
        chat.goLive(connection, watermark);
        connection.resumeOutbound();
    }

    @Override
    public void onMessage(Connection connection, ClientMessage message) {
        String roomId = connection.room();
        switch (message.type()) {
            case "ping" -> connection.send(ServerFrames.pong());
            case "message" -> {
                String content = message.requireText("content");
                int max = gateway.config().maxChatContentChars();
                if (content.isBlank() || content.length() > max) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                            "data.content must be 1 to " + max + " characters, not blank");
                }
                String clientMsgId = optionalClientMsgId(message);
                run(connection, roomId, () -> post(connection, roomId, content, clientMsgId));
            }
            case "typing" -> {
                JsonNode flag = message.data().get("is_typing");
                if (flag == null || !flag.isBoolean()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "typing needs a boolean data.is_typing");
                }
                String user = connection.principal().userId();
                run(connection, roomId, () -> typing(roomId, user, flag.booleanValue()));
            }
            case "read" -> {
                JsonNode id = message.data().get("message_id");
                if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "read needs a whole number data.message_id");
                }
                run(connection, roomId, () -> read(connection, roomId, id.asLong()));
            }
            default -> connection.sendError(ErrorCode.UNKNOWN_TYPE,
                    "Unknown message type: " + NotificationsEndpoint.shorten(message.type()));
        }
    }

    private static String optionalClientMsgId(ClientMessage message) {
        JsonNode id = message.data().get("client_msg_id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_CLIENT_MSG_ID) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "data.client_msg_id must be a string of 1 to " + MAX_CLIENT_MSG_ID + " characters");
        }
        return id.asText();
    }

    /** Runs a client command on the room's stripe, for a connection admitted to the room (a member) only. */
    private void run(Connection connection, String roomId, Runnable action) {
        state.execute(roomId, () -> {
            LocalChat chat = chats.get(roomId);
            if (chat == null || !chat.contains(connection)) {
                return; // not a member (refused), or gone
            }
            try {
                action.run();
            } catch (PubSubException e) {
                gateway.metrics().publishError();
                connection.sendError(ErrorCode.INTERNAL, "Not delivered; retry later");
            } catch (RuntimeException e) {
                LOG.warn("Chat {} command failed: {}", roomId, e.toString());
                connection.sendError(ErrorCode.INTERNAL, "Chat state is unavailable; retry later");
            }
        });
    }

    private void post(Connection connection, String roomId, String content, String clientMsgId) {
        String user = connection.principal().userId();
        String createdAt = Instant.ofEpochMilli(gateway.nowMillis()).toString();
        List<String> data = ChatFrames.messageData(roomId, user, content, clientMsgId, createdAt);
        Posted posted = store.post(roomId, channel(roomId), user, clientMsgId, data.get(0), data.get(1));
        if (posted.duplicate()) {
            connection.send(ChatFrames.message(posted.data()));
        }
        typing(roomId, user, false);
    }

    private void typing(String roomId, String user, boolean active) {
        String key = roomId + "\u0000" + user;
        Typing current = typing.computeIfAbsent(key, k -> new Typing());
        long now = gateway.nowMillis();
        long timeout = gateway.config().typingTimeout().toMillis();
        if (current.expiry != null) {
            current.expiry.cancel(false);
            current.expiry = null;
        }
        if (active) {
            if (!current.active || now - current.lastBroadcast >= timeout / 2) {
                gateway.publish(channel(roomId), ChatFrames.typing(roomId, user, true, timeout));
                current.lastBroadcast = now;
            }
            current.active = true;
            current.expiry = state.schedule(roomId, gateway.config().typingTimeout(),
                    () -> typing(roomId, user, false));
        } else {
            if (current.active) {
                gateway.publish(channel(roomId), ChatFrames.typing(roomId, user, false, 0));
            }
            typing.remove(key);
        }
    }

    private void read(Connection connection, String roomId, long messageId) {
        String user = connection.principal().userId();
        ReadOutcome outcome = store.markRead(roomId, user, messageId);
        if (outcome == ReadOutcome.MOVED) {
            gateway.publish(channel(roomId), ChatFrames.read(roomId, user, messageId));
        } else if (outcome == ReadOutcome.UNKNOWN_MESSAGE) {
            connection.sendError(ErrorCode.INVALID_MESSAGE, "Unknown message_id " + messageId);
        }
    }

    @Override
    public void onClose(Connection connection) {
        String roomId = connection.room();
        if (roomId == null) {
            return;
        }
        state.execute(roomId, () -> {
            LocalChat chat = chats.get(roomId);
            if (chat == null || !chat.contains(connection)) {
                return;
            }
            boolean lastOfUser = chat.remove(connection);
            if (chat.isEmpty()) {
                chats.remove(roomId);
                ready.remove(roomId);
                gateway.leaveChannel(chat.channel, chat);
            }
            if (lastOfUser) {
                try {
                    typing(roomId, connection.principal().userId(), false);
                } catch (RuntimeException e) {
                    LOG.debug("Could not stop typing on close: {}", e.toString());
                }
            }
        });
    }
}

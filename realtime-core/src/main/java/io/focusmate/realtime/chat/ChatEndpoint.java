package io.focusmate.realtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;
import io.focusmate.realtime.internal.LocalRooms;
import io.focusmate.realtime.internal.RoomIds;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.StateExecutor;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
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
    /** The user limits' bucket of chat messages (one per user, shared by the instances). */
    static final String RATE_BUCKET = "chat_message";

    private final EndpointContext context;
    private final ChatStore store;
    private final ChatMembershipPolicy membership;
    private final StateExecutor state;
    private final LocalRooms<LocalChat> chats;
    /** By room and user; each entry is touched only on its room's stripe. */
    private final Map<String, Typing> typing = new ConcurrentHashMap<>();

    /** One user's typing state in one room; confined to the room's stripe. */
    private static final class Typing {
        boolean active;
        long lastBroadcast;
        ScheduledFuture<?> expiry;
    }

    ChatEndpoint(EndpointContext context, ChatStore store, ChatMembershipPolicy membership) {
        this.context = context;
        this.store = store;
        this.membership = membership;
        this.state = context.state();
        this.chats = new LocalRooms<>(context, "Chat", "Not delivered; retry later", Channels::chat, LocalChat::new);
    }

    @Override
    public void onOpen(Session connection, Handshake handshake) {
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

    private void join(Session connection, String roomId, Long after) {
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
        chats.add(connection, roomId);
        chats.whenLive(connection, roomId, chat -> replay(connection, chat, after));
    }

    private void replay(Session connection, LocalChat chat, Long after) {
        long watermark = 0;
        if (after != null) {
            try {
                History history = store.history(chat.roomId, after, context.config().chatReplayMax());
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
    public void onMessage(Session connection, ClientMessage message) {
        String roomId = connection.room();
        switch (message.type()) {
            case "ping" -> connection.send(ServerFrames.pong());
            case "message" -> {
                String content = message.requireText("content");
                int max = context.config().maxChatContentChars();
                if (content.isBlank() || content.length() > max) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                            "data.content must be 1 to " + max + " characters, not blank");
                }
                String clientMsgId = optionalClientMsgId(message);
                chats.command(connection, roomId, () -> post(connection, roomId, content, clientMsgId));
            }
            case "typing" -> {
                JsonNode flag = message.data().get("is_typing");
                if (flag == null || !flag.isBoolean()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "typing needs a boolean data.is_typing");
                }
                String user = connection.principal().userId();
                chats.command(connection, roomId, () -> typing(roomId, user, flag.booleanValue()));
            }
            case "read" -> {
                JsonNode id = message.data().get("message_id");
                if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "read needs a whole number data.message_id");
                }
                chats.command(connection, roomId, () -> read(connection, roomId, id.asLong()));
            }
            default -> throw message.unknownType();
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

    private void post(Session connection, String roomId, String content, String clientMsgId) {
        String user = connection.principal().userId();
        double rate = context.config().chatMessageRate();
        if (!context.limits().allow(RATE_BUCKET, user, rate)) {
            connection.sendError(ErrorCode.RATE_LIMITED, "Too many chat messages: the limit is "
                    + (rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate))
                    + " per second per user; this one was not sent");
            return;
        }
        ChatMessage message = new ChatMessage(roomId, user, content, clientMsgId,
                Instant.ofEpochMilli(context.nowMillis()));
        Posted posted;
        try {
            posted = store.post(message);
        } catch (PubSubException e) {
            context.metrics().publishError();
            throw e;
        }
        if (posted.duplicate()) {
            connection.send(ChatMessage.frame(posted.data()));
        }
        typing(roomId, user, false);
    }

    private void typing(String roomId, String user, boolean active) {
        String key = roomId + "\u0000" + user;
        Typing current = typing.computeIfAbsent(key, k -> new Typing());
        long now = context.nowMillis();
        long timeout = context.config().typingTimeout().toMillis();
        if (current.expiry != null) {
            current.expiry.cancel(false);
            current.expiry = null;
        }
        if (active) {
            if (!current.active || now - current.lastBroadcast >= timeout / 2) {
                context.publish(Channels.chat(roomId), ChatFrames.typing(roomId, user, true, timeout));
                current.lastBroadcast = now;
            }
            current.active = true;
            current.expiry = state.schedule(roomId, context.config().typingTimeout(),
                    () -> typing(roomId, user, false));
        } else {
            if (current.active) {
                context.publish(Channels.chat(roomId), ChatFrames.typing(roomId, user, false, 0));
            }
            typing.remove(key);
        }
    }

    private void read(Session connection, String roomId, long messageId) {
        String user = connection.principal().userId();
        ReadOutcome outcome = store.markRead(roomId, user, messageId);
        if (outcome == ReadOutcome.MOVED) {
            context.publish(Channels.chat(roomId), ChatFrames.read(roomId, user, messageId));
        } else if (outcome == ReadOutcome.UNKNOWN_MESSAGE) {
            connection.sendError(ErrorCode.INVALID_MESSAGE, "Unknown message_id " + messageId);
        }
    }

    @Override
    public void onClose(Session connection) {
        String roomId = connection.room();
        if (roomId == null) {
            return;
        }
        state.execute(roomId, () -> {
            if (chats.remove(connection, roomId)) {
                try {
                    typing(roomId, connection.principal().userId(), false);
                } catch (RuntimeException e) {
                    LOG.debug("Could not stop typing on close: {}", e.toString());
                }
            }
        });
    }
}

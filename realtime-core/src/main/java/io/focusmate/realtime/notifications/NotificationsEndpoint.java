package io.focusmate.realtime.notifications;

import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;
import io.focusmate.realtime.internal.ReplayGate;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/notifications/ws}: a user's own channel and the broadcast channel, plus {@code ping},
 * {@code subscribe} and {@code unsubscribe}. A connection that asks for recovery ({@code since},
 * {@code broadcast_since}, {@code recover=true}) is subscribed first, its channel frames held in a {@link ReplayGate};
 * then, on a state stripe, the history says where each channel is and what the client missed; the {@code connected}
 * frame with its {@code recovery} member goes first, the missed frames next, and the held frames past them last.
 */
final class NotificationsEndpoint implements EndpointHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationsEndpoint.class);
    /** The most missed frames replayed per channel; a history keeps fewer, so this only bounds a forged request. */
    static final int MAX_REPLAY = 100_000;
    static final String CONNECTED_MESSAGE = "Connected to notification service";
    static final int MAX_CHANNEL_LENGTH = 256;
    static final int MAX_CHANNELS_PER_CONNECTION = 64;

    private final EndpointContext context;
    private final ChannelAuthorizer authorizer;
    private final NotificationHistory history;

    NotificationsEndpoint(EndpointContext context, ChannelAuthorizer authorizer, NotificationHistory history) {
        this.context = context;
        this.authorizer = authorizer;
        this.history = history;
    }

    @Override
    public void onOpen(Session connection, Handshake handshake) {
        String user = connection.principal().userId();
        RecoveryRequest request;
        try {
            request = RecoveryRequest.of(handshake.query());
        } catch (IllegalArgumentException e) {
            connection.refuse(ErrorCode.INVALID_MESSAGE, e.getMessage(), CloseCode.INVALID_POSITION);
            return;
        }
        if (request == null) {
            connection.sendFirst(ServerFrames.connected(CONNECTED_MESSAGE, user)); // ahead of a token_expiring queued meanwhile
            subscribeBoth(connection, user).whenComplete((ok, failure) -> connection.resumeOutbound());
            return;
        }
        ReplayGate gate = new ReplayGate(context.config().sendQueueMaxBytes());
        connection.gate(gate);
        subscribeBoth(connection, user).whenComplete((ok, failure) -> context.state().execute(Channels.user(user),
                () -> recover(connection, user, request, gate)));
    }

    /** Queues a channel's missed frames and notes where the client will be once they are read. */
    private static void replay(Session connection, String channel, Recovery recovery, Map<String, String> epochs,
                               Map<String, Long> offsets) {
        recovery.frames().forEach(connection::sendReplayed);
        if (recovery.current() != null) {
            epochs.put(channel, recovery.current().epoch());
            offsets.put(channel, recovery.current().offset());
        }
    }

    private CompletableFuture<Void> subscribeBoth(Session connection, String user) {
        return CompletableFuture.allOf(context.subscribe(connection, Channels.user(user)),
                context.subscribe(connection, Channels.BROADCAST));
    }

    /** Reads both channels' positions and missed frames, then queues the greeting, the replay and the held frames. */
    private void recover(Session connection, String user, RecoveryRequest request, ReplayGate gate) {
        if (connection.isReleased()) {
            return;
        }
        String userChannel = Channels.user(user);
        Recovery mine;
        Recovery everyone;
        try {
            mine = history.recover(userChannel, request.user(), MAX_REPLAY);
            everyone = history.recover(Channels.BROADCAST, request.broadcast(), MAX_REPLAY);
        } catch (RuntimeException e) {
            LOG.warn("Notification history unavailable for {}: {}", connection, e.toString());
            connection.refuse(ErrorCode.INTERNAL, "Notification history is unavailable; retry later",
                    CloseCode.INTERNAL_ERROR);
            return;
        }
        connection.sendFirst(RecoveryFrames.connected(CONNECTED_MESSAGE, user, request, mine, everyone));
        Map<String, String> epochs = new HashMap<>();
        Map<String, Long> offsets = new HashMap<>();
        replay(connection, userChannel, mine, epochs, offsets);
        replay(connection, Channels.BROADCAST, everyone, epochs, offsets);
        gate.goLive(connection, epochs, offsets);
        connection.resumeOutbound();
    }

    @Override
    public void onMessage(Session connection, ClientMessage message) {
        switch (message.type()) {
            case "ping" -> connection.send(ServerFrames.pong());
            case "subscribe" -> subscribe(connection, channelOf(message));
            case "unsubscribe" -> {
                String channel = channelOf(message);
                context.unsubscribe(connection, channel);
                connection.send(ServerFrames.channelAck("unsubscribed", channel));
            }
            default -> throw message.unknownType();
        }
    }

    private void subscribe(Session connection, String channel) {
        if (!authorizer.canSubscribe(connection.principal(), channel)) {
            connection.sendError(ErrorCode.FORBIDDEN, "Not allowed to subscribe to " + channel);
            return;
        }
        if (connection.channelCount() >= MAX_CHANNELS_PER_CONNECTION) {
            connection.sendError(ErrorCode.FORBIDDEN,
                    "Too many subscriptions: the limit is " + MAX_CHANNELS_PER_CONNECTION + " per connection");
            return;
        }
        context.subscribe(connection, channel)
                .whenComplete((ok, failure) -> connection.send(ServerFrames.channelAck("subscribed", channel)));
    }

    private static String channelOf(ClientMessage message) {
        String channel = message.requireText("channel");
        if (channel.isEmpty() || channel.length() > MAX_CHANNEL_LENGTH) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "data.channel must be 1 to " + MAX_CHANNEL_LENGTH + " characters");
        }
        return channel;
    }
}

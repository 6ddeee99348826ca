package io.focusmate.realtime.notifications;

import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/v1/notifications/ws}: a user's own channel and the broadcast channel, plus {@code ping},
 * {@code subscribe} and {@code unsubscribe}.
 */
final class NotificationsEndpoint implements EndpointHandler {
    static final String CONNECTED_MESSAGE = "Connected to notification service";
    static final int MAX_CHANNEL_LENGTH = 256;
    static final int MAX_CHANNELS_PER_CONNECTION = 64;

    private final EndpointContext context;
    private final ChannelAuthorizer authorizer;

    NotificationsEndpoint(EndpointContext context, ChannelAuthorizer authorizer) {
        this.context = context;
        this.authorizer = authorizer;
    }

    @Override
    public void onOpen(Session connection, Handshake handshake) {
        String user = connection.principal().userId();
        connection.send(ServerFrames.connected(CONNECTED_MESSAGE, user));
        CompletableFuture.allOf(
                        context.subscribe(connection, Channels.user(user)),
                        context.subscribe(connection, Channels.BROADCAST))
                .whenComplete((ok, failure) -> connection.resumeOutbound());
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

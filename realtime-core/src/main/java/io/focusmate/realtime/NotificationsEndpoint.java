package io.focusmate.realtime;

import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.protocol.ClientMessage;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.protocol.ProtocolException;
import io.focusmate.realtime.protocol.ServerFrames;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/v1/notifications/ws}: a user's own channel and the broadcast channel, plus {@code ping},
 * {@code subscribe} and {@code unsubscribe}.
 */
final class NotificationsEndpoint implements EndpointHandler {
    static final String CONNECTED_MESSAGE = "Connected to notification service";
    static final int MAX_CHANNEL_LENGTH = 256;
    static final int MAX_CHANNELS_PER_CONNECTION = 64;

    private final Gateway gateway;
    private final ChannelAuthorizer authorizer;

    NotificationsEndpoint(Gateway gateway, ChannelAuthorizer authorizer) {
        this.gateway = gateway;
        this.authorizer = authorizer;
    }

    @Override
    public void onOpen(Connection connection, Handshake handshake) {
        String user = connection.principal().userId();
        connection.send(ServerFrames.connected(CONNECTED_MESSAGE, user));
        CompletableFuture.allOf(
                        gateway.subscribe(connection, Channels.user(user)),
                        gateway.subscribe(connection, Channels.BROADCAST))
                .whenComplete((ok, failure) -> connection.resumeOutbound());
    }

    @Override
    public void onMessage(Connection connection, ClientMessage message) {
        switch (message.type()) {
            case "ping" -> connection.send(ServerFrames.pong());
            case "subscribe" -> subscribe(connection, channelOf(message));
            case "unsubscribe" -> {
                String channel = channelOf(message);
                gateway.unsubscribe(connection, channel);
                connection.send(ServerFrames.channelAck("unsubscribed", channel));
            }
            default -> connection.sendError(ErrorCode.UNKNOWN_TYPE, "Unknown message type: " + shorten(message.type()));
        }
    }

    private void subscribe(Connection connection, String channel) {
        if (!authorizer.canSubscribe(connection.principal(), channel)) {
            connection.sendError(ErrorCode.FORBIDDEN, "Not allowed to subscribe to " + channel);
            return;
        }
        if (connection.channelCount() >= MAX_CHANNELS_PER_CONNECTION) {
            connection.sendError(ErrorCode.FORBIDDEN,
                    "Too many subscriptions: the limit is " + MAX_CHANNELS_PER_CONNECTION + " per connection");
            return;
        }
        gateway.subscribe(connection, channel)
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

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}

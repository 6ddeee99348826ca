package io.focusmate.realtime.notifications;

import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.protocol.Channels;

/**
 * Decides which channels a user may subscribe to with a {@code subscribe} frame. Implementations are thread-safe and
 * fast (called on a container thread, without I/O).
 */
@FunctionalInterface
public interface ChannelAuthorizer {

    /**
     * The default: a user may subscribe to their own notification channel and to the broadcast channel, and to
     * nothing else. Above all, never to another user's channel.
     */
    ChannelAuthorizer OWN_AND_BROADCAST = (user, channel) ->
            channel.equals(Channels.user(user.userId())) || channel.equals(Channels.BROADCAST);

    /** Whether {@code user} may subscribe to {@code channel}. */
    boolean canSubscribe(Principal user, String channel);
}

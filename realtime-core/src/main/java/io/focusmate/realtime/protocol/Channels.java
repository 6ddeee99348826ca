package io.focusmate.realtime.protocol;

/**
 * The names of the gateway's channels: the one place they are spelled. A Redis key prefix, when configured, is
 * added by the broker, not here. The payload on every channel is the exact server frame its subscribers receive.
 */
public final class Channels {
    /** System announcements to every connected user. */
    public static final String BROADCAST = "notifications:broadcast";

    private Channels() {
    }

    /** One user's notifications, {@code notifications:user:{user_id}}. */
    public static String user(String userId) {
        return "notifications:user:" + userId;
    }

    /** Whether a channel is a notification channel, whose frames are numbered and kept for recovery. */
    public static boolean isNotification(String channel) {
        return BROADCAST.equals(channel) || channel.startsWith("notifications:user:") && channel.length() > 19;
    }

    /** One room's updates, {@code room:{room_id}:updates}. */
    public static String room(String roomId) {
        return "room:" + roomId + ":updates";
    }

    /** One matched chat's messages, typing and reads, {@code matching:chat:{room_id}}. */
    public static String chat(String roomId) {
        return "matching:chat:" + roomId;
    }
}

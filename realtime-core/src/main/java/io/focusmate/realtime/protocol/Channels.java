package io.focusmate.realtime.protocol;

/** The names of the gateway's channels. A Redis key prefix, when configured, is added by the broker, not here. */
public final class Channels {
    /** System announcements to every connected user. */
    public static final String BROADCAST = "notifications:broadcast";
    private static final String USER_PREFIX = "notifications:user:";

    private Channels() {
    }

    /** One user's notification channel, {@code notifications:user:{user_id}}. */
    public static String user(String userId) {
        return USER_PREFIX + userId;
    }
}

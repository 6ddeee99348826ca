package io.focusmate.realtime.redis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a backend's channels and keys are on the wire. On one Redis, a channel is its logical name after the key
 * prefix, and a key is a base name and a part ({@code room:r1:timer}). On a Redis Cluster, a channel's wire name
 * is its logical name in braces after the prefix ({@code {room:r1:updates}}), and every key of its state is that
 * wire name, a colon and the part ({@code {room:r1:updates}:timer}): the braces make the channel the hash tag, so a
 * channel and its keys share one slot, and one script can store and publish. Immutable.
 *
 * @param prefix the key prefix, before every key and channel
 * @param tagged whether names carry hash tags (a cluster)
 */
record KeyLayout(String prefix, boolean tagged) {

    /** The command that publishes on a channel: {@code SPUBLISH} (sharded pub/sub) on a cluster, else {@code PUBLISH}. */
    String publishCommand() {
        return tagged ? "SPUBLISH" : "PUBLISH";
    }

    /** The wire name of a logical channel. */
    String channel(String channel) {
        return tagged ? prefix + "{" + channel + "}" : prefix + channel;
    }

    /** The logical channel of a wire name, or null when it is not one of this layout's. */
    String fromWire(String wire) {
        if (!wire.startsWith(prefix)) {
            return null;
        }
        if (!tagged) {
            return wire.substring(prefix.length());
        }
        int open = prefix.length();
        boolean braced = wire.length() > open + 1 && wire.charAt(open) == '{' && wire.endsWith("}");
        return braced ? wire.substring(open + 1, wire.length() - 1) : null;
    }

    /**
     * A key of a channel's state.
     *
     * @param base the key's base name on one Redis (the channel, or for a room {@code room:<id>})
     * @param channel the logical channel whose slot the key shares on a cluster
     * @param part what the key holds, such as {@code timer}
     */
    String key(String base, String channel, String part) {
        return tagged ? channel(channel) + ":" + part : prefix + base + ":" + part;
    }

    private static final Pattern ROOM_KEY = Pattern.compile("room:([A-Za-z0-9_.-]{1,128}):(presence|users|version|timer"
            + "|settings)");
    private static final Pattern CHAT_KEY = Pattern.compile("matching:chat:([A-Za-z0-9_.-]{1,128}):(seq|history|reads"
            + "|members)");
    private static final Pattern NOTIFICATION_KEY = Pattern.compile("(notifications:(?:broadcast|user:.+)):(history"
            + "|meta)");

    /**
     * The cluster name of a key of this one-Redis layout's (with the prefix), or null for a key that is not copied to
     * a cluster: not the gateway's, or short-lived and rebuilt by itself (connection leases, rate buckets,
     * idempotency and chat retry keys).
     */
    String clusterName(String key) {
        if (tagged || !key.startsWith(prefix)) {
            return null;
        }
        KeyLayout cluster = new KeyLayout(prefix, true);
        String name = key.substring(prefix.length());
        Matcher room = ROOM_KEY.matcher(name);
        if (room.matches()) {
            return cluster.key("", "room:" + room.group(1) + ":updates", room.group(2));
        }
        Matcher chat = CHAT_KEY.matcher(name);
        if (chat.matches()) {
            return cluster.key("", "matching:chat:" + chat.group(1), chat.group(2));
        }
        Matcher notification = NOTIFICATION_KEY.matcher(name);
        if (notification.matches() && !notification.group(1).contains(":idem:")) {
            return cluster.key("", notification.group(1), notification.group(2));
        }
        return null;
    }
}

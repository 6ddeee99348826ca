package io.focusmate.realtime;

import java.util.Locale;

/** The WebSocket endpoints of the gateway, with the path each is served at. */
public enum EndpointKind {
    /** A user's notifications and system announcements. */
    NOTIFICATIONS("/api/v1/notifications/ws"),
    /** A focus room: participants, the shared timer and settings. */
    ROOM("/ws/room/{room_id}"),
    /** A matched chat: messages, typing and read receipts. */
    CHAT("/api/v1/matching/chat/{room_id}/ws");

    private final String path;

    EndpointKind(String path) {
        this.path = path;
    }

    /** The path template, relative to the server's root. */
    public String path() {
        return path;
    }

    /** The lower-case name used in logs and metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

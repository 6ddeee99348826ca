package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.util.regex.Pattern;

/** The room id of a room or chat path: 1 to 128 of {@code A-Z a-z 0-9 _ . -}, so it is safe inside channel names. */
public final class RoomIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private RoomIds() {
    }

    /** The room id of the handshake, or null after refusing the connection with INVALID_MESSAGE and 1008. */
    public static String require(Session connection, Handshake handshake) {
        String roomId = handshake.pathParameters().get("room_id");
        if (roomId == null || !VALID.matcher(roomId).matches()) {
            connection.refuse(ErrorCode.INVALID_MESSAGE,
                    "Invalid room id: use 1 to 128 of A-Z, a-z, 0-9, '_', '.', '-'", CloseCode.INVALID_ROOM);
            return null;
        }
        return roomId;
    }
}

package io.focusmate.realtime.rooms;

import io.focusmate.realtime.auth.Principal;

/**
 * Decides who may join a room and who may control its timer and settings. Implementations are thread-safe and
 * fast (called without I/O on container threads).
 */
public interface RoomPolicy {
    /** The default: any authenticated user may join any room, and any participant may control it. */
    RoomPolicy OPEN = new RoomPolicy() {
        @Override
        public boolean canJoin(Principal user, String roomId) {
            return true;
        }

        @Override
        public boolean canControl(Principal user, String roomId) {
            return true;
        }
    };

    /** Whether {@code user} may join {@code roomId}; a refusal is a FORBIDDEN frame and a 1008 close. */
    boolean canJoin(Principal user, String roomId);

    /** Whether {@code user}, a participant, may start, pause, resume and reset the timer and change settings. */
    boolean canControl(Principal user, String roomId);
}

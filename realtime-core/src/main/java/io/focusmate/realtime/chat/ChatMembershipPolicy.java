package io.focusmate.realtime.chat;

import io.focusmate.realtime.auth.Principal;

/**
 * Decides who belongs to a chat room (in the real application, the matching service decides). Called on a state
 * thread, so an implementation may do I/O. Thread-safe.
 */
@FunctionalInterface
public interface ChatMembershipPolicy {
    /** Members are those in the store's set {@code matching:chat:{room_id}:members}, which the matcher fills. */
    static ChatMembershipPolicy members(ChatStore store) {
        return (user, roomId) -> store.isMember(roomId, user.userId());
    }

    /** Every authenticated user belongs to every chat room: for development only. */
    ChatMembershipPolicy OPEN = (user, roomId) -> true;

    /** Whether {@code user} belongs to chat room {@code roomId}; a refusal is FORBIDDEN and a 1008 close. */
    boolean isMember(Principal user, String roomId);
}

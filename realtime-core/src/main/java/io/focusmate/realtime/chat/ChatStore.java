package io.focusmate.realtime.chat;

import java.util.Set;

/**
 * Chat state shared by every gateway instance: message ids, bounded history, retry deduplication, read positions and
 * room membership. Implementations: {@code InMemoryChatStore} and {@code RedisChatStore}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Post is one atomic step</b>: deduplicate, assign the room's next message id (1, 2, 3, ... with no gap),
 *       append to the history, and publish the {@code message} frame on the room's channel. Because the publish is
 *       inside that step, the channel carries messages in id order, whichever instances post them.</li>
 *   <li><b>Retries are not duplicated.</b> A post with a {@code client_msg_id} that the same sender already used in
 *       the room (within the dedup window of at least 24 h) returns the earlier message and publishes nothing.</li>
 *   <li><b>History is bounded</b> (the newest {@code historySize} messages); {@link #history} says whether it could
 *       return everything after an id.</li>
 *   <li><b>Read positions only move forward.</b></li>
 * </ul>
 * Thread-safe. Calls may block on I/O (Redis).
 */
public interface ChatStore {

    /**
     * Posts a message: deduplicates it, gives it the room's next id, keeps it, and publishes
     * {@link ChatMessage#frame(String)} of its data on {@link ChatMessage#channel()}, in one atomic step.
     *
     * @return the id and the stored data; for a duplicate, the earlier ones
     */
    Posted post(ChatMessage message);

    /** The messages after {@code afterMessageId}, at most {@code max} of the newest, oldest first. */
    History history(String roomId, long afterMessageId, int max);

    /** Moves {@code userId}'s read position in the room to {@code messageId} if that is forward. */
    ReadOutcome markRead(String roomId, String userId, long messageId);

    /** The user's read position (0 when none). */
    long readPosition(String roomId, String userId);

    /** Whether the user is a member of the room (the set {@code matching:chat:{room_id}:members}). */
    boolean isMember(String roomId, String userId);

    /** Adds members (what the matching service does when it matches users). */
    void addMembers(String roomId, Set<String> userIds);
}

package io.focusmate.realtime.rooms;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Room state shared by every gateway instance: presence leases, the timer and the settings. Implementations:
 * {@code InMemoryRoomStore} (one process) and {@code RedisRoomStore} (many instances).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Atomic.</b> Each mutating call is one atomic step against the shared state: two instances applying
 *       commands to one room at once never corrupt it, and each change gets the next value of the room's
 *       <b>change counter</b> (its {@code version}), shared by presence, timer and settings and strictly increasing.
 *       </li>
 *   <li><b>Presence is leased.</b> A user is present while any instance holds an unexpired lease for them. An
 *       instance renews its leases; when it dies they expire, and {@link #expire} reports the users that thereby
 *       left. No ghost outlives its lease.</li>
 *   <li><b>Time is the caller's.</b> Every call takes {@code now} (epoch ms) from the caller's clock.</li>
 *   <li><b>Scales with the room.</b> A join, a leave and a count cost the same in a room of ten users and of ten
 *       thousand; only {@link #renew}, {@link #expire} and listing the participants grow with the room.</li>
 *   <li><b>Publishing is the caller's.</b> The store changes state and returns what changed; the gateway publishes
 *       the event, carrying the version so that receivers drop a stale one.</li>
 * </ul>
 * Thread-safe. Calls may block on I/O (Redis): call them off container threads where latency matters.
 */
public interface RoomStore {

    /**
     * Adds or renews the lease of {@code userId} held by {@code instanceId} until {@code now + leaseMs}.
     *
     * @return the change when the user was absent on every instance before (a join to announce), else empty
     */
    Optional<PresenceChange> join(String roomId, String userId, String instanceId, long now, long leaseMs);

    /**
     * Drops the lease of {@code userId} held by {@code instanceId}.
     *
     * @return the change when the user now has no unexpired lease on any instance (a leave to announce), else empty
     */
    Optional<PresenceChange> leave(String roomId, String userId, String instanceId, long now);

    /**
     * Renews every lease this instance holds (room id to the users it has there) until {@code now + leaseMs}. A lease
     * that is gone (it expired, and an {@link #expire} already announced the user's leave) is added again.
     *
     * @return per room, the users who thereby became present again (joins to announce)
     */
    Map<String, List<PresenceChange>> renew(String instanceId, Map<String, Set<String>> usersByRoom, long now,
                                            long leaseMs);

    /**
     * Removes the leases of a room that expired at {@code now}.
     *
     * @return the users who thereby became absent on every instance, each with its own new version; each such user
     *     is reported by exactly one caller, however many instances call at once
     */
    List<PresenceChange> expire(String roomId, long now);

    /** The users present at {@code now} (unexpired leases only), every one listed. */
    default Presence presence(String roomId, long now) {
        return presence(roomId, now, Integer.MAX_VALUE);
    }

    /**
     * How many users are present at {@code now}, and who, when they are at most {@code listLimit}; the list is empty
     * above it. The count of a room above the limit is read in constant time and may include users whose lease
     * expired since the last {@link #expire}; a count at or below the limit is exact.
     */
    Presence presence(String roomId, long now, int listLimit);

    /** The timer ({@link TimerState#initial()} for a room that has none). */
    TimerState timer(String roomId);

    /**
     * Applies a timer command atomically.
     *
     * @param durationMs the duration, for {@link TimerCommand#START} only
     * @return the new state, or empty when the command does not apply to the current state (see
     *     {@link TimerState#apply}); nothing changed then
     */
    Optional<TimerState> applyTimer(String roomId, TimerCommand command, long durationMs, String userId, long now);

    /** The settings ({@link RoomSettings#initial()} for a room that has none). */
    RoomSettings settings(String roomId);

    /**
     * Replaces the settings with {@code json} if they are still at {@code expectedVersion} (compare-and-set).
     *
     * @return the new settings, or empty when another update came first (read again and retry)
     */
    Optional<RoomSettings> replaceSettings(String roomId, String json, long expectedVersion, String userId);
}

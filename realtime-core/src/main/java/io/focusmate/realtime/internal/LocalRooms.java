package io.focusmate.realtime.internal;

import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join and leave skeleton that rooms and chat share: this instance's local fan-out of each room, created with
 * the room's first session (which routes the room's channel to it) and dropped with its last; a joining session is
 * held back until the channel is live, then greeted on the room's stripe; client commands run on the stripe for
 * admitted sessions only.
 *
 * <p>Thread-safe: a room's entry is added and removed only on that room's state stripe; others read a snapshot.
 *
 * @param <L> the room's local fan-out
 */
public final class LocalRooms<L extends PendingFanOut<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRooms.class);

    private final EndpointContext context;
    private final String label;
    private final String notDelivered;
    private final Function<String, String> channelOf;
    private final Function<String, L> create;
    /** Added and removed only on the room's stripe. */
    private final ConcurrentHashMap<String, Room<L>> rooms = new ConcurrentHashMap<>();

    private record Room<L>(L local, String channel, CompletableFuture<Void> ready) {
    }

    /**
     * @param label {@code Room} or {@code Chat}, for messages and logs
     * @param notDelivered the error message when a command's publish was refused by the broker
     * @param channelOf the channel of a room id
     * @param create a new local fan-out for a room id
     */
    public LocalRooms(EndpointContext context, String label, String notDelivered, Function<String, String> channelOf,
                      Function<String, L> create) {
        this.context = context;
        this.label = label;
        this.notDelivered = notDelivered;
        this.channelOf = channelOf;
        this.create = create;
    }

    /**
     * On the room's stripe: adds the session, held back, creating the room's local fan-out with its first session.
     *
     * @return whether the session is its user's first here
     */
    public boolean add(Session session, String roomId) {
        Room<L> room = rooms.get(roomId);
        if (room == null) {
            L local = create.apply(roomId);
            String channel = channelOf.apply(roomId);
            room = new Room<>(local, channel, context.joinChannel(channel, local));
            rooms.put(roomId, room);
        }
        return room.local().add(session);
    }

    /**
     * On the room's stripe: once the room's channel is live (or the subscribe timeout passed), runs {@code greet} on
     * the room's stripe, unless the session left meanwhile.
     */
    public void whenLive(Session session, String roomId, Consumer<L> greet) {
        Room<L> room = rooms.get(roomId);
        context.withTimeout(room.ready()).whenComplete((ok, failure) -> context.state().execute(roomId, () -> {
            if (room.local().contains(session)) {
                greet.accept(room.local());
            }
        }));
    }

    /**
     * On the room's stripe: removes the session; the room's last session stops the routing of its channel.
     *
     * @return whether it was its user's last session here (false when it was not here)
     */
    public boolean remove(Session session, String roomId) {
        Room<L> room = rooms.get(roomId);
        if (room == null || !room.local().contains(session)) {
            return false;
        }
        boolean last = room.local().remove(session);
        if (room.local().isEmpty()) {
            rooms.remove(roomId);
            context.leaveChannel(room.channel(), room.local());
        }
        return last;
    }

    /** The local fan-out of a room, or null. */
    public L get(String roomId) {
        Room<L> room = rooms.get(roomId);
        return room == null ? null : room.local();
    }

    /** The rooms with a session here: a snapshot. */
    public Set<String> roomIds() {
        return Set.copyOf(rooms.keySet());
    }

    /**
     * Runs a client command on the room's stripe, for a session admitted to the room only (a refused or gone one
     * is ignored). A broker refusal or a store failure is an {@code INTERNAL} error frame to the session.
     */
    public void command(Session session, String roomId, Runnable action) {
        context.state().execute(roomId, () -> {
            L local = get(roomId);
            if (local == null || !local.contains(session)) {
                return; // the join was refused, or the session is gone
            }
            try {
                action.run();
            } catch (PubSubException e) {
                session.sendError(ErrorCode.INTERNAL, notDelivered);
            } catch (RuntimeException e) {
                LOG.warn("{} {} command failed: {}", label, roomId, e.toString());
                session.sendError(ErrorCode.INTERNAL, label + " state is unavailable; retry later");
            }
        });
    }
}

package io.focusmate.realtime.internal.pubsub;

import io.focusmate.realtime.internal.HeldWrites;
import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.Subscription;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener table shared by the {@link PubSub} implementations: listeners per channel, reference-counted, with
 * the readiness futures of pending subscriptions. Thread-safe.
 *
 * <p>It tells its owner when a channel gains its first listener or loses its last one, so that the owner
 * subscribes or unsubscribes at the broker exactly once per channel. For implementers of {@link PubSub}.
 */
public final class ChannelListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelListeners.class);

    private final Consumer<String> onFirst;
    private final Consumer<String> onLast;
    /**
     * A channel is added and removed in the map's per-key {@code compute}, so changes to two channels never wait on
     * each other; its listener list is copy-on-write, so delivery iterates without a lock.
     */
    private final ConcurrentHashMap<String, Listeners> byChannel = new ConcurrentHashMap<>();

    /**
     * @param onFirst called (outside any lock of this table) when a channel gains its first listener
     * @param onLast called (outside any lock of this table) when a channel loses its last listener
     */
    public ChannelListeners(Consumer<String> onFirst, Consumer<String> onLast) {
        this.onFirst = onFirst;
        this.onLast = onLast;
    }

    /** Adds a listener; its subscription is ready at once when the channel is already confirmed. */
    public Subscription add(String channel, MessageListener listener) {
        Entry entry = new Entry(channel, listener);
        boolean[] firstAndLive = new boolean[2];
        byChannel.compute(channel, (c, listeners) -> {
            Listeners joined = listeners != null ? listeners : new Listeners();
            firstAndLive[0] = joined.list.isEmpty();
            firstAndLive[1] = joined.confirmed;
            joined.list.add(entry);
            return joined;
        });
        if (firstAndLive[1]) {
            entry.ready.complete(null);
        }
        if (firstAndLive[0]) {
            onFirst.accept(channel);
        }
        return entry;
    }

    /** The broker confirmed the channel: completes the readiness of its listeners, now and later. */
    public void confirm(String channel) {
        Listeners listeners = byChannel.computeIfPresent(channel, (c, l) -> {
            l.confirmed = true;
            return l;
        });
        if (listeners != null) {
            for (Entry entry : listeners.list) {
                entry.ready.complete(null);
            }
        }
    }

    /** The broker link dropped: no channel is confirmed until the next link confirms it again. */
    public void unconfirmAll() {
        unconfirmIf(channel -> true);
    }

    /**
     * A broker link of several (a shard's) dropped, or the broker dropped some channels: these channels are not
     * confirmed until a link confirms them again.
     */
    public void unconfirmIf(Predicate<String> dropped) {
        for (String channel : byChannel.keySet()) {
            if (!dropped.test(channel)) {
                continue;
            }
            byChannel.computeIfPresent(channel, (c, l) -> {
                l.confirmed = false;
                return l;
            });
        }
    }

    /** Delivers one message to every listener of its channel, isolating listener failures. */
    public void dispatch(String channel, String payload) {
        Listeners listeners = byChannel.get(channel);
        if (listeners == null) {
            return;
        }
        for (Entry entry : listeners.list) {
            try {
                entry.listener.onMessage(channel, payload);
            } catch (RuntimeException e) {
                LOG.error("A listener of channel {} failed; delivery goes on", channel, e);
            }
        }
    }

    /**
     * As {@link #dispatch}, for a broker thread that may have more messages in hand: the frames this delivery queues
     * for idle sockets wait on this thread (see {@link HeldWrites}) until {@link #flushHeld()}, which the thread must
     * call before it waits for more messages, so that each socket gets the frames of several messages in one write.
     */
    public void dispatchHeld(String channel, String payload) {
        HeldWrites.ofThisThread().deliver(() -> dispatch(channel, payload));
    }

    /** Whether this thread holds frames from {@link #dispatchHeld}: it should {@link #flushHeld()} before waiting. */
    public boolean holdsWrites() {
        return !HeldWrites.ofThisThread().isEmpty();
    }

    /** Writes the frames this thread's {@link #dispatchHeld} calls held: one write per socket. */
    public void flushHeld() {
        HeldWrites.ofThisThread().flush();
    }

    /** The channels that have at least one listener: a snapshot. */
    public Set<String> channels() {
        return Set.copyOf(byChannel.keySet());
    }

    /** Whether the channel has at least one listener. */
    public boolean has(String channel) {
        return byChannel.containsKey(channel);
    }

    /** Completes every pending readiness future, so that nobody waits on a closed broker. */
    public void releaseAll() {
        for (Listeners listeners : byChannel.values()) {
            listeners.list.forEach(e -> e.ready.complete(null));
        }
    }

    private void remove(Entry entry) {
        boolean[] last = {false};
        byChannel.computeIfPresent(entry.channel, (c, listeners) -> {
            if (listeners.list.remove(entry) && listeners.list.isEmpty()) {
                last[0] = true;
                return null;
            }
            return listeners;
        });
        entry.ready.complete(null);
        if (last[0]) {
            onLast.accept(entry.channel);
        }
    }

    /** One channel's listeners and whether the broker confirmed it on the current link. */
    private static final class Listeners {
        final CopyOnWriteArrayList<Entry> list = new CopyOnWriteArrayList<>();
        /** Written in the map's compute for this channel; read there too. */
        boolean confirmed;
    }

    private final class Entry implements Subscription {
        private final String channel;
        private final MessageListener listener;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();

        Entry(String channel, MessageListener listener) {
            this.channel = channel;
            this.listener = listener;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public CompletableFuture<Void> ready() {
            return ready;
        }

        @Override
        public void close() {
            remove(this);
        }
    }
}

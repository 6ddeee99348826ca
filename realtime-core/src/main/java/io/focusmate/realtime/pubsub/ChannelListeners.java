package io.focusmate.realtime.pubsub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
    /** Guarded by {@code this}. The list itself is copy-on-write so delivery iterates without the lock. */
    private final Map<String, CopyOnWriteArrayList<Entry>> byChannel = new HashMap<>();
    /** Guarded by {@code this}: the channels the broker has confirmed on the current link. */
    private final Set<String> confirmed = new HashSet<>();

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
        boolean first;
        boolean live;
        synchronized (this) {
            CopyOnWriteArrayList<Entry> list = byChannel.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
            first = list.isEmpty();
            list.add(entry);
            live = confirmed.contains(channel);
        }
        if (live) {
            entry.ready.complete(null);
        }
        if (first) {
            onFirst.accept(channel);
        }
        return entry;
    }

    /** The broker confirmed the channel: completes the readiness of its listeners, now and later. */
    public void confirm(String channel) {
        List<Entry> list;
        synchronized (this) {
            list = byChannel.get(channel);
            if (list == null) {
                return;
            }
            confirmed.add(channel);
        }
        for (Entry entry : list) {
            entry.ready.complete(null);
        }
    }

    /** The broker link dropped: no channel is confirmed until the next link confirms it again. */
    public synchronized void unconfirmAll() {
        confirmed.clear();
    }

    /** Delivers one message to every listener of its channel, isolating listener failures. */
    public void dispatch(String channel, String payload) {
        List<Entry> list;
        synchronized (this) {
            list = byChannel.get(channel);
        }
        if (list == null) {
            return;
        }
        for (Entry entry : list) {
            try {
                entry.listener.onMessage(channel, payload);
            } catch (RuntimeException e) {
                LOG.error("A listener of channel {} failed; delivery goes on", channel, e);
            }
        }
    }

    /** The channels that have at least one listener. */
    public synchronized Set<String> channels() {
        return Set.copyOf(byChannel.keySet());
    }

    /** Whether the channel has at least one listener. */
    public synchronized boolean has(String channel) {
        return byChannel.containsKey(channel);
    }

    /** Completes every pending readiness future, so that nobody waits on a closed broker. */
    public void releaseAll() {
        List<Entry> all = new ArrayList<>();
        synchronized (this) {
            byChannel.values().forEach(all::addAll);
        }
        all.forEach(e -> e.ready.complete(null));
    }

    private void remove(Entry entry) {
        boolean last = false;
        synchronized (this) {
            CopyOnWriteArrayList<Entry> list = byChannel.get(entry.channel);
            if (list != null && list.remove(entry) && list.isEmpty()) {
                byChannel.remove(entry.channel);
                confirmed.remove(entry.channel);
                last = true;
            }
        }
        entry.ready.complete(null);
        if (last) {
            onLast.accept(entry.channel);
        }
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

package io.focusmate.realtime.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One subscriber connection to Redis and its pub/sub state: classic ({@code SUBSCRIBE}, one server) or sharded
 * ({@code SSUBSCRIBE}, one shard of a cluster). A fresh link per connection, because Jedis's pub/sub object still
 * believes it is subscribed after a drop.
 *
 * <p>Threads: the subscriber thread reads ({@link #proceed}) and gets the {@link Events}; the control thread writes
 * (subscribe, unsubscribe, ping) once the link is attached.
 */
final class SubscriberLink {
    /** What a link reports, on the subscriber thread. */
    interface Events {
        /** Redis confirmed a subscription. */
        void subscribed(SubscriberLink link, String wire);

        /** Redis confirmed an unsubscription, or dropped the channel by itself (a slot moved to another shard). */
        void unsubscribed(SubscriberLink link, String wire, boolean asked);

        /** A message arrived. */
        void message(SubscriberLink link, String wire, String payload);
    }

    final Connection connection;
    private final Commands commands;
    /** Control thread (and the subscriber thread before attach): wire channels asked of Redis. */
    final Set<String> requested = ConcurrentHashMap.newKeySet();
    /** Subscriber thread adds and removes on Redis's answers; control thread removes on UNSUBSCRIBE: confirmed. */
    final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    /** Commands in flight per wire channel: counted up before a command is sent, down on each answer. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    /** Subscriber thread writes on every reply; control thread reads. */
    volatile long lastHeardNanos = System.nanoTime();
    /** Set by the subscriber thread when Redis confirms the control channel. */
    volatile boolean attached;
    /** Control thread only: whether a sync compared every channel on this link. */
    boolean fullSyncDone;

    SubscriberLink(Connection connection, boolean sharded, Events events) {
        this.connection = connection;
        this.commands = sharded ? new Sharded(events) : new Classic(events);
    }

    /** Subscriber thread: subscribes the initial channels and reads until the link drops. */
    void proceed(Collection<String> initial) {
        sent(initial);
        requested.addAll(initial);
        commands.proceed(connection, initial);
    }

    /** Control thread: subscribes channels. */
    void subscribe(Collection<String> wires) {
        sent(wires);
        commands.subscribe(wires);
        requested.addAll(wires);
    }

    /** Control thread: unsubscribes channels; they are not live until Redis confirms a new subscription. */
    void unsubscribe(Collection<String> wires) {
        sent(wires);
        commands.unsubscribe(wires);
        requested.removeAll(wires);
        confirmed.removeAll(wires);
    }

    /** Control thread: asks for a pong (a sharded link has none: its canary is its proof of life). */
    void ping() {
        commands.ping();
    }

    void kill() {
        try {
            connection.disconnect();
        } catch (RuntimeException ignored) {
            // the socket is already gone
        }
    }

    private void sent(Collection<String> wires) {
        wires.forEach(wire -> inFlight.merge(wire, 1, Integer::sum));
    }

    /** An answer arrived: returns whether it was the last one awaited (the channel's state now). */
    private boolean answered(String wire) {
        return inFlight.computeIfPresent(wire, (w, awaited) -> awaited <= 1 ? null : awaited - 1) == null;
    }

    private void onSubscribe(Events events, String wire) {
        lastHeardNanos = System.nanoTime();
        if (answered(wire)) { // else an older answer: an UNSUBSCRIBE (and maybe a SUBSCRIBE) since is on the way
            confirmed.add(wire);
            events.subscribed(this, wire);
        }
    }

    private void onUnsubscribe(Events events, String wire) {
        lastHeardNanos = System.nanoTime();
        boolean asked = inFlight.containsKey(wire);
        answered(wire);
        confirmed.remove(wire);
        if (!asked) {
            requested.remove(wire);
        }
        events.unsubscribed(this, wire, asked);
    }

    private void onMessage(Events events, String wire, String payload) {
        lastHeardNanos = System.nanoTime();
        events.message(this, wire, payload);
    }

    /** The commands of one kind of pub/sub. */
    private interface Commands {
        void proceed(Connection connection, Collection<String> initial);

        void subscribe(Collection<String> wires);

        void unsubscribe(Collection<String> wires);

        void ping();
    }

    /** {@code SUBSCRIBE}: every channel in one command. */
    private final class Classic extends JedisPubSub implements Commands {
        private final Events events;

        Classic(Events events) {
            this.events = events;
        }

        @Override
        public void proceed(Connection connection, Collection<String> initial) {
            proceed(connection, initial.toArray(new String[0]));
        }

        @Override
        public void subscribe(Collection<String> wires) {
            subscribe(wires.toArray(new String[0]));
        }

        @Override
        public void unsubscribe(Collection<String> wires) {
            unsubscribe(wires.toArray(new String[0]));
        }

        @Override
        public void onSubscribe(String wire, int count) {
            SubscriberLink.this.onSubscribe(events, wire);
        }

        @Override
        public void onUnsubscribe(String wire, int count) {
            SubscriberLink.this.onUnsubscribe(events, wire);
        }

        @Override
        public void onMessage(String wire, String payload) {
            SubscriberLink.this.onMessage(events, wire, payload);
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }
    }

    /** {@code SSUBSCRIBE}: a command's channels must share a slot, so one command per slot. */
    private final class Sharded extends JedisShardedPubSub implements Commands {
        private final Events events;

        Sharded(Events events) {
            this.events = events;
        }

        /** The initial channels share a slot: the control channel alone; the rest follow once attached. */
        @Override
        public void proceed(Connection connection, Collection<String> initial) {
            List<String[]> groups = bySlot(initial);
            if (groups.size() != 1) {
                throw new IllegalArgumentException("a sharded link starts with channels of one slot");
            }
            proceed(connection, groups.get(0));
        }

        @Override
        public void subscribe(Collection<String> wires) {
            bySlot(wires).forEach(this::ssubscribe);
        }

        @Override
        public void unsubscribe(Collection<String> wires) {
            bySlot(wires).forEach(this::sunsubscribe);
        }

        @Override
        public void ping() {
            // SSUBSCRIBE's reader has no pong; the canary, on this link every interval, proves it alive
        }

        @Override
        public void onSSubscribe(String wire, int count) {
            SubscriberLink.this.onSubscribe(events, wire);
        }

        @Override
        public void onSUnsubscribe(String wire, int count) {
            SubscriberLink.this.onUnsubscribe(events, wire);
        }

        @Override
        public void onSMessage(String wire, String payload) {
            SubscriberLink.this.onMessage(events, wire, payload);
        }

        private static List<String[]> bySlot(Collection<String> wires) {
            Map<Integer, List<String>> groups = new LinkedHashMap<>();
            for (String wire : wires) {
                groups.computeIfAbsent(JedisClusterCRC16.getSlot(wire), slot -> new ArrayList<>()).add(wire);
            }
            List<String[]> arrays = new ArrayList<>(groups.size());
            groups.values().forEach(group -> arrays.add(group.toArray(new String[0])));
            return arrays;
        }
    }
}

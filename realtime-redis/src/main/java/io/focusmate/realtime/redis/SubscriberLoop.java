package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The subscriber thread of a {@link RedisPubSub}: connect, subscribe every live channel, read until the link
 * drops, back off, and again. Each link gets a fresh {@link JedisPubSub}, because an old one still believes it is
 * subscribed after a drop.
 *
 * <p>Threads: {@link #run()} is the subscriber thread and the only reader. {@link #sync()} and {@link #watchdog}
 * run on the control thread, the only writer once a link is attached.
 */
final class SubscriberLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberLoop.class);

    /** What the loop reports to: its broker. */
    interface Owner {
        /** Whether the broker is closed, so that the loop stops. */
        boolean isClosed();

        /** A new link attached (it is trusted only after its own first canary round trip). */
        void onLinkAttached();

        /** Subscriptions may be out of date: sync them on the control thread. */
        void requestSync();

        /** Any message arrived on the link. */
        void onAnyMessage();

        /** A message arrived on the instance's own control channel. */
        void onControlMessage(String payload);
    }

    private final Owner owner;
    private final RedisUrl url;
    private final JedisClientConfig config;
    private final String prefix;
    private final String controlChannel;
    private final ChannelListeners listeners;
    private final Backoff backoff;
    private final Object sleeper = new Object();
    /** Written by the subscriber thread; read by the control thread. */
    private volatile Link link;
    /** Subscriber thread only: failed attempts since the last good link. */
    private int attempt;
    /** Subscriber thread only: whether the current outage was already logged at warn. */
    private boolean outageLogged;
    /** Written by the subscriber thread once a link attached. */
    private volatile boolean everAttached;
    /**
     * Any thread adds, the control thread drains: channels whose listener count went to or from zero since the last
     * sync. A sync looks at these alone, so a connect storm costs one set lookup per channel, not a scan of all.
     */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    SubscriberLoop(Owner owner, RedisConnection redis, String controlChannel, ChannelListeners listeners,
                   Backoff backoff) {
        this.owner = owner;
        this.url = redis.url();
        this.config = redis.clientConfig("realtime-subscriber").resp2().build();
        this.prefix = redis.prefix();
        this.controlChannel = controlChannel;
        this.listeners = listeners;
        this.backoff = backoff;
    }

    /** The logical channel of a wire name, or null when it is not one of ours. */
    private String fromWire(String wire) {
        return wire.startsWith(prefix) ? wire.substring(prefix.length()) : null;
    }

    boolean isAttached() {
        Link current = link;
        return current != null && current.attached;
    }

    boolean everAttached() {
        return everAttached;
    }

    /** Any thread: cuts the current link; the loop reconnects and resubscribes everything. */
    void reconnect() {
        Link current = link;
        if (current != null) {
            current.kill();
        }
    }

    @Override
    public void run() {
        while (!owner.isClosed()) {
            Link current = null;
            try {
                current = new Link(new FlushingConnection(new HostAndPort(url.host(), url.port()),
                        config, listeners));
                Set<String> initial = wireChannels();
                current.requested.addAll(initial);
                current.sent(initial);
                link = current;
                if (owner.isClosed()) {
                    break; // closed while connecting: the finally block cuts this link
                }
                current.pubSub.proceed(current.connection, initial.toArray(new String[0]));
            } catch (JedisException | IllegalStateException e) {
                if (!owner.isClosed()) {
                    logDown(e);
                }
            } finally {
                listeners.flushHeld(); // what the last messages of this link queued
                link = null;
                listeners.unconfirmAll();
                if (current != null) {
                    current.kill();
                }
            }
            if (!owner.isClosed()) {
                pause(backoff.delay(++attempt));
            }
        }
    }

    void stop() {
        Link current = link;
        if (current != null) {
            current.kill();
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /** Any thread: a channel gained its first listener or lost its last; the next {@link #sync()} looks at it. */
    void changed(String channel) {
        changed.add(channel);
    }

    /**
     * Control thread: brings the link's subscriptions in line with the listener table, in one batch each way. The
     * first sync of a link compares everything; later ones only the channels that {@link #changed(String)}.
     */
    void sync() {
        Link current = link;
        if (current == null || !current.attached) {
            return; // the next link starts from a full comparison
        }
        Set<String> add = new HashSet<>();
        Set<String> remove = new HashSet<>();
        Set<String> touched = new HashSet<>();
        if (current.fullSyncDone) {
            for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
                String channel = it.next();
                it.remove();
                String wire = (prefix + channel);
                touched.add(wire);
                if (listeners.has(channel)) {
                    if (!current.requested.contains(wire)) {
                        add.add(wire);
                    }
                } else if (current.requested.contains(wire)) {
                    remove.add(wire);
                }
            }
        } else {
            current.fullSyncDone = true;
            changed.clear(); // before the snapshot: a change after it stays for the next sync
            touched = wireChannels();
            add.addAll(touched);
            add.removeAll(current.requested);
            remove.addAll(current.requested);
            remove.removeAll(touched);
        }
        try {
            if (!add.isEmpty()) {
                current.sent(add);
                current.pubSub.subscribe(add.toArray(new String[0]));
                current.requested.addAll(add);
            }
            if (!remove.isEmpty()) {
                current.sent(remove);
                current.pubSub.unsubscribe(remove.toArray(new String[0]));
                current.requested.removeAll(remove);
                current.confirmed.removeAll(remove); // until Redis confirms a new SUBSCRIBE, it is not live
            }
        } catch (JedisException e) {
            LOG.warn("Redis subscription update failed ({}); reconnecting", e.getMessage());
            current.kill();
            return;
        }
        // A channel that left and came back between two syncs (no command sent) is still confirmed on this link. One
        // subscribed again now is confirmed by Redis's answer, never here: an UNSUBSCRIBE may still be in flight.
        for (String wire : touched) {
            if (!add.contains(wire) && current.confirmed.contains(wire)) {
                String channel = fromWire(wire);
                if (channel != null) {
                    listeners.confirm(channel);
                }
            }
        }
    }

    /** Control thread: pings the link, and cuts it when nothing was heard for {@code silenceMillis}. */
    void watchdog(long silenceMillis) {
        Link current = link;
        if (current == null || !current.attached) {
            return;
        }
        long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - current.lastHeardNanos);
        if (silent > silenceMillis) {
            LOG.warn("Redis pub/sub link silent for {} ms; reconnecting", silent);
            current.kill();
            return;
        }
        try {
            current.pubSub.ping();
        } catch (JedisException e) {
            current.kill();
        }
    }

    private Set<String> wireChannels() {
        Set<String> wire = new HashSet<>();
        wire.add(controlChannel);
        for (String channel : listeners.channels()) {
            wire.add((prefix + channel));
        }
        return wire;
    }

    private void logDown(Exception e) {
        if (!outageLogged) {
            outageLogged = true;
            LOG.warn("Redis pub/sub link to {} is down ({}); reconnecting with backoff", url, e.getMessage());
        } else {
            LOG.debug("Redis pub/sub reconnect attempt {} failed: {}", attempt, e.getMessage());
        }
    }

    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (sleeper) {
            long left;
            while (!owner.isClosed() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One connection to Redis and its pub/sub state. */
    private final class Link {
        final Connection connection;
        final JedisPubSub pubSub = new Listener(this);
        /** Control thread (and the subscriber thread before attach): wire channels asked of Redis. */
        final Set<String> requested = ConcurrentHashMap.newKeySet();
        /** Subscriber thread adds and removes on Redis's answers; control thread removes on UNSUBSCRIBE: confirmed. */
        final Set<String> confirmed = ConcurrentHashMap.newKeySet();
        /** Commands in flight per wire channel: counted up before a command is sent, down on each answer. */
        final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
        /** Subscriber thread writes on every reply; control thread reads. */
        volatile long lastHeardNanos = System.nanoTime();
        /** Set by the subscriber thread when Redis confirms the control channel. */
        volatile boolean attached;
        /** Control thread only: whether a sync compared every channel on this link. */
        boolean fullSyncDone;

        Link(Connection connection) {
            this.connection = connection;
        }

        /** Before SUBSCRIBE or UNSUBSCRIBE of these is written: one answer each is awaited. */
        void sent(Collection<String> wires) {
            wires.forEach(wire -> inFlight.merge(wire, 1, Integer::sum));
        }

        /** An answer for the channel arrived; returns whether it was the last one awaited (the channel's state now). */
        boolean answered(String wire) {
            return inFlight.computeIfPresent(wire, (w, awaited) -> awaited <= 1 ? null : awaited - 1) == null;
        }

        void kill() {
            try {
                connection.disconnect();
            } catch (RuntimeException ignored) {
                // the socket is already gone
            }
        }
    }

    /** Subscriber-thread callbacks of one link. */
    private final class Listener extends JedisPubSub {
        private final Link own;

        Listener(Link own) {
            this.own = own;
        }

        @Override
        public void onSubscribe(String wire, int count) {
            own.lastHeardNanos = System.nanoTime();
            if (!own.answered(wire)) {
                return; // an older answer: an UNSUBSCRIBE (and maybe a new SUBSCRIBE) sent since is still on the way
            }
            own.confirmed.add(wire);
            if (wire.equals(controlChannel)) {
                owner.onLinkAttached();
                own.attached = true;
                everAttached = true;
                if (attempt > 0 || outageLogged) {
                    LOG.info("Redis pub/sub link to {} is up again; resubscribed {} channel(s)", url,
                            own.requested.size() - 1);
                }
                attempt = 0;
                outageLogged = false;
                owner.requestSync();
                return;
            }
            String channel = fromWire(wire);
            if (channel != null) {
                listeners.confirm(channel);
            }
        }

        @Override
        public void onUnsubscribe(String wire, int count) {
            own.lastHeardNanos = System.nanoTime();
            own.answered(wire);
            own.confirmed.remove(wire);
        }

        @Override
        public void onMessage(String wire, String payload) {
            own.lastHeardNanos = System.nanoTime();
            owner.onAnyMessage();
            if (wire.equals(controlChannel)) {
                owner.onControlMessage(payload);
                return;
            }
            String channel = fromWire(wire);
            if (channel != null) {
                listeners.dispatchHeld(channel, payload); // flushed before the next wait: FlushingConnection
            }
        }

        @Override
        public void onPong(String pattern) {
            own.lastHeardNanos = System.nanoTime();
        }
    }
}

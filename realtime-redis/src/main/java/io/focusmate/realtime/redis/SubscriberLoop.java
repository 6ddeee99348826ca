package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The subscriber thread of one server, or of one shard of a cluster: connect, subscribe every live channel this
 * target owns, read until the link drops, back off, and again. It carries its own canary, published to itself
 * through its target, the proof that the link delivers.
 *
 * <p>Threads: {@link #run()} is the subscriber thread and the only reader. {@link #sync()}, {@link #watchdog} and
 * the canary run on the control thread, the only writer once a link is attached.
 */
final class SubscriberLoop implements Runnable, SubscriberLink.Events {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberLoop.class);

    /** What the loop reports to: its broker. */
    interface Owner {
        /** Whether the broker is closed, so that the loop stops. */
        boolean isClosed();

        /** A new link of this loop, to this address, attached (trusted only after its first canary round trip). */
        void onLinkAttached(SubscriberLoop loop, HostAndPort address);

        /** Subscriptions may be out of date: sync them on the control thread. */
        void requestSync();

        /** The link could not connect or dropped: where slots are may have changed. */
        void topologyMayHaveChanged();

        /** Redis dropped channels by itself: their slot moved to another shard. */
        void slotsMoving();
    }

    /**
     * Where a loop subscribes.
     *
     * @param name the shard's name (its slot ranges), or empty for one server
     * @param address where to connect now (a shard's master changes when a replica takes over)
     * @param owns whether a wire channel is this target's (a shard owns the channels of its slots)
     * @param controlChannel the instance's own channel on this target, for the canary
     * @param sharded whether the link uses SSUBSCRIBE
     */
    record Target(String name, Supplier<HostAndPort> address, Predicate<String> owns, String controlChannel,
                  boolean sharded) {
    }

    private final Owner owner;
    private final Target target;
    private final RedisUrl url;
    private final JedisClientConfig config;
    private final KeyLayout keys;
    private final ChannelListeners listeners;
    private final Backoff backoff;
    private final Canary canary;
    private final Object sleeper = new Object();
    /** Guarded by {@link #sleeper}: the current or next backoff pause ends at once. */
    private boolean wake;
    /** Written by the subscriber thread; read by the control thread. */
    private volatile SubscriberLink link;
    /** Subscriber thread only: failed attempts since the last good link. */
    private int attempt;
    /** Subscriber thread only: whether the current outage was already logged at warn. */
    private boolean outageLogged;
    /** Written by the subscriber thread once a link attached. */
    private volatile boolean everAttached;
    /** Written by {@link #stop()}: the loop ends (its shard left the cluster, or the broker closed). */
    private volatile boolean stopped;
    /**
     * Any thread adds, the control thread drains: channels whose listener count went to or from zero since the last
     * sync. A sync looks at these alone, so a connect storm costs one set lookup per channel, not a scan of all.
     */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    SubscriberLoop(Owner owner, RedisConnection redis, Target target, ChannelListeners listeners, Backoff backoff,
                   long canaryTimeoutNanos) {
        this.owner = owner;
        this.target = target;
        this.url = redis.url();
        this.config = redis.clientConfig("realtime-subscriber").resp2().build();
        this.keys = redis.keys();
        this.listeners = listeners;
        this.backoff = backoff;
        this.canary = new Canary(canaryTimeoutNanos);
    }

    Target target() {
        return target;
    }

    Canary canary() {
        return canary;
    }

    /** Whether this loop's target owns a logical channel. */
    boolean owns(String channel) {
        return target.owns().test(keys.channel(channel));
    }

    boolean isAttached() {
        SubscriberLink current = link;
        return current != null && current.attached;
    }

    boolean everAttached() {
        return everAttached;
    }

    /** Any thread: cuts the current link; the loop reconnects and resubscribes everything. */
    void reconnect() {
        SubscriberLink current = link;
        if (current != null) {
            current.kill();
        }
    }

    /**
     * Any thread: the target moved (a replica took over the shard): cuts the current link, and cuts short a backoff
     * pause, so that the loop connects to the new address at once.
     */
    void reconnectNow() {
        synchronized (sleeper) {
            wake = true;
            sleeper.notifyAll();
        }
        reconnect();
    }

    /** Any thread: the next sync compares every channel, as the channels this target owns may have changed. */
    void resyncAll() {
        SubscriberLink current = link;
        if (current != null) {
            current.fullSyncDone = false;
        }
    }

    @Override
    public void run() {
        while (!isStopped()) {
            SubscriberLink current = null;
            HostAndPort address = target.address().get();
            try {
                current = new SubscriberLink(new FlushingConnection(address, config, listeners), target.sharded(),
                        this);
                Set<String> initial = target.sharded() ? Set.of(target.controlChannel()) : wireChannels();
                link = current;
                if (isStopped()) {
                    break; // closed while connecting: the finally block cuts this link
                }
                current.proceed(initial);
            } catch (JedisException | IllegalStateException e) {
                if (!isStopped()) {
                    logDown(address, e);
                    owner.topologyMayHaveChanged();
                }
            } finally {
                listeners.flushHeld(); // what the last messages of this link queued
                link = null;
                listeners.unconfirmIf(this::owns);
                if (current != null) {
                    current.kill();
                }
            }
            if (!isStopped()) {
                pause(backoff.delay(++attempt));
            }
        }
    }

    private boolean isStopped() {
        return stopped || owner.isClosed();
    }

    void stop() {
        stopped = true;
        SubscriberLink current = link;
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
        SubscriberLink current = link;
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
                String wire = keys.channel(channel);
                touched.add(wire);
                if (listeners.has(channel) && target.owns().test(wire)) {
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
                current.subscribe(add);
            }
            if (!remove.isEmpty()) {
                current.unsubscribe(remove);
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
                String channel = keys.fromWire(wire);
                if (channel != null) {
                    listeners.confirm(channel);
                }
            }
        }
    }

    /** Control thread: pings the link, and cuts it when nothing was heard for {@code silenceMillis}. */
    void watchdog(long silenceMillis) {
        SubscriberLink current = link;
        if (current == null || !current.attached) {
            return;
        }
        long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - current.lastHeardNanos);
        if (silent > silenceMillis) {
            LOG.warn("Redis pub/sub link{} silent for {} ms; reconnecting", shardText(), silent);
            current.kill();
            return;
        }
        try {
            current.ping();
        } catch (JedisException e) {
            current.kill();
        }
    }

    private Set<String> wireChannels() {
        Set<String> wire = new HashSet<>();
        wire.add(target.controlChannel());
        for (String channel : listeners.channels()) {
            String name = keys.channel(channel);
            if (target.owns().test(name)) {
                wire.add(name);
            }
        }
        return wire;
    }

    /** " of shard 0-5460", or nothing for one server. */
    String shardText() {
        return target.name().isEmpty() ? "" : " of shard " + target.name();
    }

    private void logDown(HostAndPort address, Exception e) {
        if (!outageLogged) {
            outageLogged = true;
            LOG.warn("Redis pub/sub link{} to {} is down ({}); reconnecting with backoff", shardText(),
                    target.name().isEmpty() ? url : address, e.getMessage());
        } else {
            LOG.debug("Redis pub/sub reconnect attempt {} failed: {}", attempt, e.getMessage());
        }
    }

    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (sleeper) {
            long left;
            while (!wake && !isStopped() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            wake = false;
        }
    }

    @Override
    public void subscribed(SubscriberLink own, String wire) {
        if (wire.equals(target.controlChannel())) {
            owner.onLinkAttached(this, own.connection.getHostAndPort());
            own.attached = true;
            everAttached = true;
            if (attempt > 0 || outageLogged) {
                int channels = (target.sharded() ? wireChannels() : own.requested).size() - 1;
                LOG.info("Redis pub/sub link{} to {} is up again; resubscribing {} channel(s)", shardText(),
                        target.name().isEmpty() ? url : own.connection.getHostAndPort(), channels);
            }
            attempt = 0;
            outageLogged = false;
            owner.requestSync();
            return;
        }
        String channel = keys.fromWire(wire);
        if (channel != null) {
            listeners.confirm(channel);
        }
    }

    @Override
    public void unsubscribed(SubscriberLink own, String wire, boolean asked) {
        if (asked) {
            return;
        }
        // Redis dropped it (its slot moved to another shard): it is not live until it is subscribed again there
        String channel = keys.fromWire(wire);
        if (channel != null) {
            listeners.unconfirmIf(channel::equals);
        }
        owner.slotsMoving();
    }

    @Override
    public void message(SubscriberLink own, String wire, String payload) {
        canary.heard(System.nanoTime());
        if (wire.equals(target.controlChannel())) {
            canary.received(payload, System.nanoTime());
            return;
        }
        String channel = keys.fromWire(wire);
        if (channel != null) {
            listeners.dispatchHeld(channel, payload); // flushed before the next wait: FlushingConnection
        }
    }
}

package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.pubsub.Subscription;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;

/**
 * A {@link PubSub} on Redis Pub/Sub, for many gateway instances. Same guarantees as the SPI: at most once, ordered
 * per channel.
 *
 * <p>Each instance holds <b>one</b> subscriber connection, on its own thread ({@code realtime-redis-subscriber}),
 * with every channel that has a local listener; a channel is subscribed with its first listener and unsubscribed
 * with its last. On a Redis Cluster it is one connection per shard, to the shard's master, with sharded pub/sub
 * ({@code SSUBSCRIBE}, {@code SPUBLISH}): a publication goes to its slot's shard only ({@link ShardedSubscribers}). Subscription changes are batched and written by one thread ({@code realtime-redis-control}),
 * because Jedis's pub/sub object is not thread-safe. The subscriber reconnects with backoff when the link drops and
 * resubscribes every live channel; a ping watchdog cuts a link that stops answering. Publishing uses a pool.
 *
 * <p>Channels are prefixed with the configured key prefix on the wire, so several deployments can share a Redis.
 */
final class RedisPubSub implements PubSub, SubscriberLoop.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPubSub.class);
    /** Broker states from the worst to the best: a broker of shards is as healthy as its worst shard. */
    private static final List<String> WORST_FIRST = List.of("down", "deaf", "connecting", BrokerHealth.UP);

    private final RedisConnection redis;
    private final Duration pingInterval;
    private final Duration canaryInterval;
    private final ChannelListeners listeners;
    private final ScheduledExecutorService control;
    /** One server's loop, or null on a cluster. */
    private final SubscriberLoop single;
    /** A cluster's loops, or null on one server. */
    private final ShardedSubscribers shards;
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;
    /** Set by the backend before {@link #start()}; run on the control thread each time a new link attaches. */
    private volatile Consumer<HostAndPort> onLinkAttached = address -> { };

    /**
     * The broker's timings.
     *
     * @param pingInterval how often the subscriber link is pinged; three missed intervals cut it
     * @param backoff the subscriber's reconnect schedule
     * @param canaryInterval how often the instance publishes a canary to itself
     * @param canaryTimeout how long a canary may take before the link counts as deaf and is reconnected
     */
    record Options(Duration pingInterval, Backoff backoff, Duration canaryInterval, Duration canaryTimeout) {
    }

    /** A broker on the backend's pool; {@link #start()} starts its threads. */
    RedisPubSub(RedisConnection redis, Options options) {
        this.redis = redis;
        this.pingInterval = options.pingInterval();
        this.listeners = new ChannelListeners(this::changed, this::changed);
        this.control = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realtime-redis-control"));
        String instanceId = UUID.randomUUID().toString();
        long canaryTimeout = options.canaryTimeout().toNanos();
        if (redis.isCluster()) {
            this.single = null;
            this.shards = new ShardedSubscribers(this, redis, instanceId, listeners, options.backoff(), canaryTimeout);
        } else {
            HostAndPort address = new HostAndPort(redis.url().host(), redis.url().port());
            SubscriberLoop.Target target = new SubscriberLoop.Target("", () -> address, wire -> true,
                    redis.prefix() + "realtime:instance:" + instanceId, false);
            this.single = new SubscriberLoop(this, redis, target, listeners, options.backoff(), canaryTimeout);
            this.shards = null;
        }
        this.canaryInterval = options.canaryInterval();
    }

    /**
     * A task for each new subscriber link (the first one and every reconnect, of each shard on a cluster), given the
     * address the link attached to, such as reloading what a Redis restarted without persistence has lost. It runs on
     * the control thread; set it before {@link #start()}.
     */
    void whenLinkAttached(Consumer<HostAndPort> task) {
        this.onLinkAttached = Objects.requireNonNull(task);
    }

    RedisPubSub start() {
        if (single != null) {
            daemon(single, "realtime-redis-subscriber").start();
        } else {
            control.scheduleWithFixedDelay(this::refreshShards, 0, 250, TimeUnit.MILLISECONDS);
        }
        long ping = pingInterval.toMillis();
        control.scheduleWithFixedDelay(this::watchdog, ping, ping, TimeUnit.MILLISECONDS);
        long every = canaryInterval.toMillis();
        control.scheduleWithFixedDelay(this::checkCanaries, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The subscriber loops: one server's, or a cluster's shards' as last read. */
    private List<SubscriberLoop> loops() {
        return single != null ? List.of(single) : shards.loops();
    }

    @Override
    public void publish(String channel, String payload) {
        if (closed) {
            throw new PubSubException("The Redis broker is closed", null);
        }
        redis.call("to take the message", () -> redis.publish(redis.keys().channel(channel), payload));
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return listeners.add(Objects.requireNonNull(channel), Objects.requireNonNull(listener));
    }

    @Override
    public boolean isConnected() {
        List<SubscriberLoop> loops = loops();
        return !closed && !loops.isEmpty() && loops.stream().allMatch(SubscriberLoop::isAttached);
    }

    /**
     * {@code up} only while the subscriber link is attached <b>and</b> the instance's own canary, published through
     * Redis, came back on this link and keeps coming back within the canary timeout: a link can be connected while
     * its subscriptions are gone, and a fresh link is not trusted before its first round trip. On a cluster, each
     * shard's link has its own canary, and the broker is {@code up} only while every shard is.
     */
    @Override
    public BrokerHealth health() {
        long now = System.nanoTime();
        if (single != null) {
            BrokerHealth health = health(single, now);
            return closed ? new BrokerHealth("closed", health.lastMessageAgeMs(), health.canaryRoundTripMs())
                    : health;
        }
        Map<String, BrokerHealth> byShard = new LinkedHashMap<>();
        String state = shards.known() ? BrokerHealth.UP : "connecting";
        long age = -1;
        long roundTrip = -1;
        for (SubscriberLoop loop : shards.loops()) {
            BrokerHealth shard = health(loop, now);
            byShard.put(loop.target().name(), shard);
            if (WORST_FIRST.indexOf(shard.state()) < WORST_FIRST.indexOf(state)) {
                state = shard.state();
            }
            age = Math.max(age, shard.lastMessageAgeMs());
            roundTrip = Math.max(roundTrip, shard.canaryRoundTripMs());
        }
        return new BrokerHealth(closed ? "closed" : state, age, roundTrip, byShard);
    }

    private static BrokerHealth health(SubscriberLoop loop, long now) {
        Canary canary = loop.canary();
        String state;
        if (!loop.isAttached()) {
            state = loop.everAttached() ? "down" : "connecting";
        } else if (canary.overdue(now)) {
            state = "deaf";
        } else if (!canary.confirmed()) {
            state = "connecting";
        } else {
            state = BrokerHealth.UP;
        }
        return new BrokerHealth(state, canary.lastMessageAgeMillis(now), canary.roundTripMillis());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (single != null) {
            single.stop();
        } else {
            shards.stop();
        }
        control.shutdownNow();
        listeners.releaseAll();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void changed(String channel) {
        loops().forEach(loop -> loop.changed(channel));
        requestSync();
    }

    /** Schedules one subscription sync on the control thread; requests made meanwhile share it. */
    @Override
    public void requestSync() {
        if (closed || !syncScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            control.execute(() -> {
                syncScheduled.set(false);
                loops().forEach(SubscriberLoop::sync);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            syncScheduled.set(false);
        }
    }

    /** Any thread: the cluster's slots are read again at the next refresh (nothing on one server). */
    @Override
    public void topologyMayHaveChanged() {
        if (shards != null) {
            shards.markStale();
        }
    }

    /** Subscriber thread: Redis dropped channels, so slots are moving: read them until they changed. */
    @Override
    public void slotsMoving() {
        if (shards != null) {
            shards.slotsMoving();
        }
    }

    private void refreshShards() {
        try {
            shards.refresh();
        } catch (RuntimeException e) {
            LOG.warn("Reading the Redis Cluster's slots failed: {}", e.toString());
        }
    }

    /** Control thread: a link that lost its canary is cut (and reconnects); then a new canary goes out. */
    private void checkCanaries() {
        loops().forEach(this::checkCanary);
    }

    private void checkCanary(SubscriberLoop loop) {
        Canary canary = loop.canary();
        try {
            long now = System.nanoTime();
            if (!loop.isAttached()) {
                canary.reset(now);
                return;
            }
            if (canary.overdue(now)) {
                LOG.warn("Redis pub/sub link{} is deaf: the instance's canary did not come back within {} ms; "
                        + "reconnecting", loop.shardText(), TimeUnit.NANOSECONDS.toMillis(canary.timeoutNanos()));
                loop.reconnect();
                canary.reset(now);
                return;
            }
            String wire = loop.target().controlChannel();
            redis.call("the canary", () -> redis.publish(wire, canary.next(now)));
        } catch (PubSubException e) {
            LOG.debug("Canary publish failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Canary check failed: {}", e.toString());
        }
    }

    /** Subscriber thread: a new link attached; it is trusted only after its own first canary round trip. */
    @Override
    public void onLinkAttached(SubscriberLoop loop, HostAndPort address) {
        loop.canary().reset(System.nanoTime());
        Consumer<HostAndPort> task = onLinkAttached;
        try {
            control.execute(() -> {
                try {
                    task.accept(address);
                } catch (RuntimeException e) {
                    LOG.warn("A task after the Redis link attached failed: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void watchdog() {
        try {
            long silence = pingInterval.toMillis() * 3;
            loops().forEach(loop -> loop.watchdog(silence));
        } catch (RuntimeException e) {
            LOG.warn("Redis watchdog failed: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}

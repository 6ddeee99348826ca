package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.pubsub.Subscription;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PubSub} on Redis Pub/Sub, for many gateway instances. Same guarantees as the SPI: at most once, ordered
 * per channel.
 *
 * <p>Each instance holds <b>one</b> subscriber connection, on its own thread ({@code realtime-redis-subscriber}),
 * with every channel that has a local listener; a channel is subscribed with its first listener and unsubscribed
 * with its last. Subscription changes are batched and written by one thread ({@code realtime-redis-control}),
 * because Jedis's pub/sub object is not thread-safe. The subscriber reconnects with backoff when the link drops and
 * resubscribes every live channel; a ping watchdog cuts a link that stops answering. Publishing uses a pool.
 *
 * <p>Channels are prefixed with the configured key prefix on the wire, so several deployments can share a Redis.
 */
final class RedisPubSub implements PubSub, SubscriberLoop.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPubSub.class);

    private final RedisConnection redis;
    private final String controlChannel;
    private final Duration pingInterval;
    private final Duration canaryInterval;
    private final ChannelListeners listeners;
    private final ScheduledExecutorService control;
    private final SubscriberLoop subscriber;
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    private final Canary canary;
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;
    /** Set by the backend before {@link #start()}; run on the control thread each time a new link attaches. */
    private volatile Runnable onLinkAttached = () -> { };

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
        this.controlChannel = redis.prefix() + "realtime:instance:" + UUID.randomUUID();
        this.pingInterval = options.pingInterval();
        this.listeners = new ChannelListeners(this::changed, this::changed);
        this.control = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realtime-redis-control"));
        this.subscriber = new SubscriberLoop(this, redis, controlChannel, listeners, options.backoff());
        this.canary = new Canary(options.canaryTimeout().toNanos());
        this.canaryInterval = options.canaryInterval();
    }

    /**
     * A task for each new subscriber link (the first one and every reconnect), such as reloading what a Redis
     * restarted without persistence has lost. It runs on the control thread; set it before {@link #start()}.
     */
    void whenLinkAttached(Runnable task) {
        this.onLinkAttached = Objects.requireNonNull(task);
    }

    RedisPubSub start() {
        daemon(subscriber, "realtime-redis-subscriber").start();
        long ping = pingInterval.toMillis();
        control.scheduleWithFixedDelay(this::watchdog, ping, ping, TimeUnit.MILLISECONDS);
        long every = canaryInterval.toMillis();
        control.scheduleWithFixedDelay(this::checkCanary, every, every, TimeUnit.MILLISECONDS);
        return this;
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
        return !closed && subscriber.isAttached();
    }

    /**
     * {@code up} only while the subscriber link is attached <b>and</b> the instance's own canary, published through
     * Redis, came back on this link and keeps coming back within the canary timeout: a link can be connected while
     * its subscriptions are gone, and a fresh link is not trusted before its first round trip.
     */
    @Override
    public BrokerHealth health() {
        long now = System.nanoTime();
        String state;
        if (closed) {
            state = "closed";
        } else if (!subscriber.isAttached()) {
            state = subscriber.everAttached() ? "down" : "connecting";
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
        subscriber.stop();
        control.shutdownNow();
        listeners.releaseAll();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void changed(String channel) {
        subscriber.changed(channel);
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
                subscriber.sync();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            syncScheduled.set(false);
        }
    }

    /** Control thread: a link that lost its canary is cut (and reconnects); then a new canary goes out. */
    private void checkCanary() {
        try {
            long now = System.nanoTime();
            if (!subscriber.isAttached()) {
                canary.reset(now);
                return;
            }
            if (canary.overdue(now)) {
                LOG.warn("Redis pub/sub link is deaf: the instance's canary did not come back within {} ms; "
                        + "reconnecting", TimeUnit.NANOSECONDS.toMillis(canary.timeoutNanos()));
                subscriber.reconnect();
                canary.reset(now);
                return;
            }
            redis.call("the canary", () -> redis.client().publish(controlChannel, canary.next(now)));
        } catch (PubSubException e) {
            LOG.debug("Canary publish failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Canary check failed: {}", e.toString());
        }
    }

    /** Subscriber thread: a new link attached; it is trusted only after its own first canary round trip. */
    @Override
    public void onLinkAttached() {
        canary.reset(System.nanoTime());
        Runnable task = onLinkAttached;
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A task after the Redis link attached failed: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Subscriber thread: a message on the instance's own channel. */
    @Override
    public void onControlMessage(String payload) {
        canary.received(payload, System.nanoTime());
    }

    /** Subscriber thread: any message on the link. */
    @Override
    public void onAnyMessage() {
        canary.heard(System.nanoTime());
    }

    private void watchdog() {
        try {
            subscriber.watchdog(pingInterval.toMillis() * 3);
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

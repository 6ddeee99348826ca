package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.ChannelListeners;
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
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

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
public final class RedisPubSub implements PubSub {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPubSub.class);

    private final RedisUrl url;
    private final String prefix;
    private final String controlChannel;
    private final Duration pingInterval;
    private final Duration canaryInterval;
    private final JedisClientConfig subscriberConfig;
    private final RedisClient publisher;
    private final ChannelListeners listeners;
    private final ScheduledExecutorService control;
    private final SubscriberLoop subscriber;
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    private final Canary canary;
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;

    private RedisPubSub(Builder builder) {
        this.url = builder.url;
        this.prefix = builder.keyPrefix;
        this.controlChannel = prefix + "realtime:instance:" + UUID.randomUUID();
        this.pingInterval = builder.pingInterval;
        int timeout = (int) builder.timeout.toMillis();
        this.publisher = RedisClient.builder()
                .hostAndPort(new HostAndPort(url.host(), url.port()))
                .clientConfig(clientConfig(timeout, "realtime-publisher").resp2().build())
                .build();
        this.subscriberConfig = clientConfig(timeout, "realtime-subscriber").resp2().build();
        this.listeners = new ChannelListeners(this::changed, this::changed);
        this.control = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realtime-redis-control"));
        this.subscriber = new SubscriberLoop(this, builder.backoff);
        this.canary = new Canary(builder.canaryTimeout.toNanos());
        this.canaryInterval = builder.canaryInterval;
    }

    private RedisPubSub start() {
        daemon(subscriber, "realtime-redis-subscriber").start();
        long ping = pingInterval.toMillis();
        control.scheduleWithFixedDelay(this::watchdog, ping, ping, TimeUnit.MILLISECONDS);
        long every = canaryInterval.toMillis();
        control.scheduleWithFixedDelay(this::checkCanary, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** A builder for a broker at this Redis. */
    public static Builder builder(RedisUrl url) {
        return new Builder(url);
    }

    @Override
    public void publish(String channel, String payload) {
        if (closed) {
            throw new PubSubException("The Redis broker is closed", null);
        }
        try {
            publisher.publish(prefix + channel, payload);
        } catch (JedisException e) {
            dropIdleConnectionsAfter(e);
            throw new PubSubException("Redis at " + url + " did not take the message: " + e.getMessage(), e);
        }
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

    /**
     * Checks that Redis answers a PING, for a fail-fast start.
     *
     * @throws PubSubException with a message naming the address when it does not
     */
    public void verifyReachable() {
        try {
            publisher.ping();
        } catch (JedisException e) {
            throw new PubSubException("Redis at " + url + " is unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriber.stop();
        control.shutdownNow();
        publisher.close();
        listeners.releaseAll();
    }

    // --- used by the Redis stores ---

    /** The publishing pool, shared by the Redis stores for their commands and scripts. */
    RedisClient client() {
        return publisher;
    }

    /** The key prefix, applied to the stores' keys as to channels. */
    String prefix() {
        return prefix;
    }

    // --- used by the subscriber loop ---

    boolean isClosed() {
        return closed;
    }

    RedisUrl url() {
        return url;
    }

    JedisClientConfig subscriberConfig() {
        return subscriberConfig;
    }

    String controlChannel() {
        return controlChannel;
    }

    ChannelListeners listeners() {
        return listeners;
    }

    String toWire(String channel) {
        return prefix + channel;
    }

    /** The logical channel of a wire name, or null when it is not one of ours. */
    String fromWire(String wire) {
        return wire.startsWith(prefix) ? wire.substring(prefix.length()) : null;
    }

    private void changed(String channel) {
        subscriber.changed(channel);
        requestSync();
    }

    /** Schedules one subscription sync on the control thread; requests made meanwhile share it. */
    void requestSync() {
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
            publisher.publish(controlChannel, canary.next(now));
        } catch (JedisException e) {
            dropIdleConnectionsAfter(e);
            LOG.debug("Canary publish failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Canary check failed: {}", e.toString());
        }
    }

    /**
     * After a connection failure the pool's idle connections are most likely dead too (Redis restarted): drop them,
     * so that the next publish opens a fresh one instead of failing on a stale one. A failed publish is never
     * retried, which would risk a duplicate.
     */
    private void dropIdleConnectionsAfter(JedisException e) {
        if (e instanceof redis.clients.jedis.exceptions.JedisConnectionException) {
            publisher.getPool().clear();
        }
    }

    /** Subscriber thread: a new link attached; it is trusted only after its own first canary round trip. */
    void onLinkAttached() {
        canary.reset(System.nanoTime());
    }

    /** Subscriber thread: a message on the instance's own channel. */
    void onControlMessage(String payload) {
        canary.received(payload, System.nanoTime());
    }

    /** Subscriber thread: any message on the link. */
    void onAnyMessage() {
        canary.heard(System.nanoTime());
    }

    private void watchdog() {
        try {
            subscriber.watchdog(pingInterval.toMillis() * 3);
        } catch (RuntimeException e) {
            LOG.warn("Redis watchdog failed: {}", e.toString());
        }
    }

    private DefaultJedisClientConfig.Builder clientConfig(int timeoutMillis, String name) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .database(url.database())
                .clientName(name)
                .ssl(url.tls());
        if (url.password() != null) {
            config.user(url.user()).password(url.password());
        }
        return config;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Options of a {@link RedisPubSub}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private final RedisUrl url;
        private String keyPrefix = "";
        private Duration pingInterval = Duration.ofSeconds(3);
        private Duration timeout = Duration.ofSeconds(2);
        private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.3);
        private Duration canaryInterval = Duration.ofSeconds(1);
        private Duration canaryTimeout = Duration.ofSeconds(5);

        private Builder(RedisUrl url) {
            this.url = Objects.requireNonNull(url);
        }

        /** A prefix for every channel on the wire, for deployments that share a Redis; empty by default. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = Objects.requireNonNull(value);
            return this;
        }

        /** How often the subscriber link is pinged; three missed intervals cut it. 3 s by default. */
        public Builder pingInterval(Duration value) {
            this.pingInterval = value;
            return this;
        }

        /** Connect and command timeout; 2 s by default. */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** How often the instance publishes a canary to itself; 1 s by default. */
        public Builder canaryInterval(Duration value) {
            this.canaryInterval = Objects.requireNonNull(value);
            return this;
        }

        /** How long a canary may take before the link counts as deaf and is reconnected; 5 s by default. */
        public Builder canaryTimeout(Duration value) {
            this.canaryTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** The reconnect schedule; 100 ms doubling to 5 s by default. */
        public Builder backoff(Backoff value) {
            this.backoff = Objects.requireNonNull(value);
            return this;
        }

        /** Starts the broker: the subscriber thread connects in the background, and retries while Redis is down. */
        public RedisPubSub build() {
            return new RedisPubSub(this).start();
        }

        /**
         * Checks that Redis answers a PING, then starts the broker: a fail-fast start for servers.
         *
         * @throws PubSubException naming the address when Redis does not answer; nothing is left running
         */
        public RedisPubSub buildVerified() {
            RedisPubSub broker = new RedisPubSub(this);
            try {
                broker.verifyReachable();
            } catch (PubSubException e) {
                broker.close();
                throw e;
            }
            return broker.start();
        }
    }
}

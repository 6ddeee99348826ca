package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backend;
import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.rooms.RoomStore;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.Jedis;

/**
 * The Redis {@link Backend}: one connection pool, one key prefix and one URL, and on them the broker (Redis
 * Pub/Sub, one subscriber connection per instance), the room store, the chat store, the per-user limits and the
 * notification history, each atomic through Lua scripts; the history is also a Redis Function,
 * {@code realtime_publish}, for publishers that only talk to Redis. Every gateway instance on the same Redis and key prefix shares rooms, chats and notifications.
 *
 * <pre>{@code
 * RedisBackend redis = RedisBackend.builder("redis://localhost:6379").buildVerified();
 * Gateway gateway = Gateway.builder().backend(redis).authenticator(...).build();
 * // at shutdown: gateway.close(); redis.close();
 * }</pre>
 *
 * <p>On a Redis Cluster ({@code redis-cluster://host1:port1,host2:port2}) the same runs with sharded pub/sub, one
 * subscriber connection per shard (each with its own canary; {@link PubSub#health()} lists the shards), and
 * hash-tagged keys: each channel is its name in braces, and its state's keys are that name plus a part, so one
 * script stores and publishes in one slot. A master's failover and a reshard are followed without a restart.
 *
 * <p>Delivery is Redis Pub/Sub's: at most once, ordered per channel; a message published while an instance's link
 * is down is lost for its clients. The subscriber reconnects with backoff and resubscribes; a canary the instance
 * publishes to itself proves the link delivers ({@link PubSub#health()}). Thread-safe.
 */
public final class RedisBackend implements Backend {
    private final RedisConnection redis;
    private final RedisPubSub pubSub;
    private final RedisRoomStore rooms;
    private final RedisChatStore chats;
    private final RedisUserLimits limits;
    private final RedisNotificationHistory history;

    private RedisBackend(Builder builder) {
        this.redis = new RedisConnection(builder.url, builder.keyPrefix, (int) builder.timeout.toMillis());
        this.pubSub = new RedisPubSub(redis, new RedisPubSub.Options(builder.pingInterval, builder.backoff,
                builder.canaryInterval, builder.canaryTimeout));
        this.rooms = new RedisRoomStore(redis);
        this.chats = new RedisChatStore(redis, builder.chatHistorySize);
        this.limits = new RedisUserLimits(redis);
        this.history = new RedisNotificationHistory(redis, builder.historySettings);
        pubSub.whenLinkAttached(history::loadFunctionOn); // a Redis restarted without persistence lost the Function
    }

    /**
     * A builder for a backend at this Redis URL ({@code redis://[user:password@]host[:port][/db]}, or rediss://), or
     * on this Redis Cluster ({@code redis-cluster://[user:password@]host1[:port1],host2[:port2]}, or
     * rediss-cluster://).
     *
     * @throws IllegalStateException when the class path has a Jedis older than 8, with what to set
     */
    public static Builder builder(String url) {
        return builder(RedisUrl.parse(url));
    }

    /**
     * A builder for a backend at this Redis.
     *
     * @throws IllegalStateException when the class path has a Jedis older than 8, with what to set
     */
    public static Builder builder(RedisUrl url) {
        requireClass(JEDIS_8_CLIENT);
        return new Builder(url);
    }

    /** A class Jedis 8 has and older ones do not; a build's dependency management may have downgraded Jedis. */
    static final String JEDIS_8_CLIENT = "redis.clients.jedis.RedisClient";

    /** Fails with one line that says what to set, instead of a NoClassDefFoundError deep in a start-up. */
    static void requireClass(String name) {
        try {
            Class.forName(name, false, RedisBackend.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("realtime-redis needs Jedis 8 (the class path has no " + name
                    + ", so its Jedis is older, often because of Spring Boot's dependency management): "
                    + "set jedis.version to 8.0.2 (Maven property) or depend on redis.clients:jedis:8.0.2");
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public PubSub pubSub() {
        return pubSub;
    }

    @Override
    public RoomStore roomStore() {
        return rooms;
    }

    @Override
    public ChatStore chatStore() {
        return chats;
    }

    /** Connections per user and chat message rates, counted across the instances (see docs/operations.md). */
    @Override
    public UserLimits userLimits() {
        return limits;
    }

    /**
     * The notification channels' history: a stream per channel, numbered and published by one Lua step, and the Redis
     * Function {@code realtime_publish} for publishers that only talk to Redis (see docs/operations.md).
     */
    @Override
    public NotificationHistory notificationHistory() {
        return history;
    }

    /** The address, its password masked. */
    public RedisUrl url() {
        return redis.url();
    }

    /**
     * Checks that Redis answers a PING: the server, or every master of the cluster.
     *
     * @throws PubSubException with a message naming the address when it does not
     */
    public void verifyReachable() {
        redis.call("to answer a PING", () -> {
            redis.onEveryMaster(Jedis::ping);
            return null;
        });
    }

    /** The pool, for this package's tests. */
    RedisConnection connection() {
        return redis;
    }

    /** The notification history as its class, for this package's tests. */
    RedisNotificationHistory history() {
        return history;
    }

    /** Stops the subscriber and closes the pool. Idempotent. */
    @Override
    public void close() {
        pubSub.close();
        redis.close();
    }

    /** Options of a {@link RedisBackend}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private final RedisUrl url;
        private String keyPrefix = "";
        private int chatHistorySize = RedisChatStore.DEFAULT_HISTORY_SIZE;
        private HistorySettings historySettings = HistorySettings.DEFAULTS;
        private Duration pingInterval = Duration.ofSeconds(3);
        private Duration timeout = Duration.ofSeconds(2);
        private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.3);
        private Duration canaryInterval = Duration.ofSeconds(1);
        private Duration canaryTimeout = Duration.ofSeconds(5);

        private Builder(RedisUrl url) {
            this.url = Objects.requireNonNull(url);
        }

        /**
         * A prefix for every channel and key, for deployments that share a Redis; empty by default. It must not
         * contain {@code notifications:} (the Redis Function finds a notification channel in its key from there).
         */
        public Builder keyPrefix(String value) {
            if (value.contains("notifications:")) {
                throw new IllegalArgumentException("a key prefix must not contain 'notifications:', got " + value);
            }
            this.keyPrefix = value;
            return this;
        }

        /** How many of a chat room's newest messages are kept for replay; 1,000 by default (at least 1). */
        public Builder chatHistorySize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("chatHistorySize must be at least 1, got " + value);
            }
            this.chatHistorySize = value;
            return this;
        }

        /**
         * How much notification history is kept per channel; {@link HistorySettings#DEFAULTS} by default. They are
         * also baked into the Redis Function this backend loads, which deployments sharing a Redis share.
         */
        public Builder notificationHistory(HistorySettings value) {
            this.historySettings = Objects.requireNonNull(value);
            return this;
        }

        /** How often the subscriber link is pinged; three missed intervals cut it. 3 s by default. */
        public Builder pingInterval(Duration value) {
            this.pingInterval = Objects.requireNonNull(value);
            return this;
        }

        /** Connect and command timeout; 2 s by default. */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value);
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

        /** The subscriber's reconnect schedule; 100 ms doubling to 5 s by default. */
        public Builder backoff(Backoff value) {
            this.backoff = Objects.requireNonNull(value);
            return this;
        }

        /** Starts the backend: the subscriber connects in the background, and retries while Redis is down. */
        public RedisBackend build() {
            RedisBackend backend = new RedisBackend(this);
            backend.pubSub.start();
            return backend;
        }

        /**
         * Checks that Redis answers a PING, then starts the backend: a fail-fast start for servers.
         *
         * @throws PubSubException naming the address when Redis does not answer; nothing is left running
         */
        public RedisBackend buildVerified() {
            RedisBackend backend = new RedisBackend(this);
            try {
                backend.verifyReachable();
                backend.history.loadFunction();
            } catch (PubSubException e) {
                backend.close();
                throw e;
            }
            backend.pubSub.start();
            return backend;
        }
    }
}

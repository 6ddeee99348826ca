package io.focusmate.realtime;

import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.auth.Authenticator;
import io.focusmate.realtime.chat.ChatFeature;
import io.focusmate.realtime.chat.ChatMembershipPolicy;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.InMemoryChatStore;
import io.focusmate.realtime.internal.Engine;
import io.focusmate.realtime.internal.GatewayMetrics;
import io.focusmate.realtime.limits.InMemoryUserLimits;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.notifications.ChannelAuthorizer;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.notifications.NotificationPublisher;
import io.focusmate.realtime.notifications.NotificationsFeature;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.rooms.InMemoryRoomStore;
import io.focusmate.realtime.rooms.RoomPolicy;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.RoomsFeature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * One gateway instance: the three WebSocket endpoints (notifications, rooms, chat) of the protocol, behind a
 * container adapter (such as {@code realtime-jakarta}), fanned out through a {@link PubSub}. Build it with
 * {@link #builder()}; hand each new socket to {@link #open}; publish with {@link #notifications()}.
 *
 * <p>Thread-safe. Container threads call in for socket events; the broker's thread delivers messages; one
 * heartbeat thread checks liveness. No call blocks on network I/O, except {@link #drain}, which waits on purpose.
 * The gateway does not own the {@link PubSub} nor the stores: whoever built them closes them after {@link #close()}.
 *
 * <p>Delivery: at most once and ordered per channel, as the broker delivers; a slow client is closed (4001) rather
 * than allowed to grow the heap.
 */
public final class Gateway implements AutoCloseable {
    private final Engine engine;
    private final GatewayConfig config;
    private final String instanceId;
    private final NotificationPublisher notifications;
    private final RoomStore roomStore;
    private final ChatStore chatStore;

    private Gateway(Builder builder, Engine engine, RoomStore roomStore, ChatStore chatStore,
                    NotificationHistory history) {
        this.engine = engine;
        this.config = builder.config;
        this.instanceId = builder.instanceId;
        this.notifications = new NotificationPublisher(history, engine.pubSub(), builder.clock);
        this.roomStore = roomStore;
        this.chatStore = chatStore;
    }

    /** A builder; a {@link Builder#backend} (or a {@link Builder#pubSub}) and an authenticator are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a new socket (for adapters). It authenticates the handshake's token and applies the per-user limit; a
     * refused socket gets an error frame and a 1008 close, and the returned connection ignores further input. An
     * accepted one gets its endpoint's first frame.
     */
    public Connection open(EndpointKind endpoint, Handshake handshake, Transport transport) {
        return engine.open(endpoint, handshake, transport);
    }

    /**
     * For adapters, before the upgrade: whether a handshake with this {@code Origin} header (null when absent) may
     * open a WebSocket on {@code endpoint}, by {@link GatewayConfig#allowedOrigins()}. A refusal is counted
     * ({@code realtime_connections_rejected_total{reason="origin"}}) and logged; the adapter answers it with 403.
     */
    public boolean allowsOrigin(EndpointKind endpoint, String origin) {
        return engine.allowsOrigin(endpoint, origin);
    }

    /** The Java publish API: notifications to one user, and announcements to everyone, on every instance. */
    public NotificationPublisher notifications() {
        return notifications;
    }

    /** The room state shared by the instances (presence, timers, settings). */
    public RoomStore roomStore() {
        return roomStore;
    }

    /**
     * The chat state shared by the instances; with the default membership policy, add the members of a chat room
     * here ({@link ChatStore#addMembers}) before they connect.
     */
    public ChatStore chatStore() {
        return chatStore;
    }

    /** The limits and timings in force. */
    public GatewayConfig config() {
        return config;
    }

    /** Open connections on this instance, including ones being refused or closed. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** Open connections on one endpoint of this instance. */
    public int connectionCount(EndpointKind endpoint) {
        return engine.connectionCount(endpoint);
    }

    /** How many connections {@code userId} holds on this instance, on every endpoint. */
    public int connectionCount(String userId) {
        return engine.connectionCount(userId);
    }

    /**
     * Whether this instance can deliver: its broker link is up (for Redis: connected and its canary coming back)
     * and it is not draining.
     */
    public GatewayHealth health() {
        return engine.health();
    }

    /**
     * Starts a drain: new connections are refused with 1012 (service restart) and health reports {@code draining}.
     * {@link #drain} does this, then closes the open connections.
     */
    public void startDrain() {
        engine.startDrain();
    }

    /**
     * Drains: closes the open connections with 1012 over {@code window}, evenly spread so that their clients do not
     * all reconnect at once; each connection's queued frames are written first. Returns when the last close was
     * sent; then {@link #close()} the gateway.
     */
    public void drain(Duration window) throws InterruptedException {
        engine.drain(window);
    }

    /** This instance's id, which owns its room presence leases. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Closes every connection with 1001 (going away), lets their room and chat departures reach the stores (for up to
     * two seconds), and stops the heartbeat. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** The engine behind the façade, for this package's tests. */
    Engine engine() {
        return engine;
    }

    /** Options of a {@link Gateway}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private PubSub pubSub;
        /** Owned by the building thread: the notification history, or null for none. */
        private NotificationHistory notificationHistory;
        private Authenticator authenticator;
        private GatewayConfig config = GatewayConfig.DEFAULTS;
        private ChannelAuthorizer channelAuthorizer = ChannelAuthorizer.OWN_AND_BROADCAST;
        private Clock clock = Clock.systemUTC();
        private RoomStore roomStore;
        private ChatStore chatStore;
        private UserLimits userLimits;
        private RoomPolicy roomPolicy = RoomPolicy.OPEN;
        private ChatMembershipPolicy chatMembership;
        private MeterRegistry meterRegistry;
        private String instanceId = UUID.randomUUID().toString();

        private Builder() {
        }

        /**
         * The broker, both stores and the user limits of a deployment at once (an {@link InMemoryBackend}, or
         * realtime-redis's {@code RedisBackend}); the gateway does not close it. A later {@link #pubSub},
         * {@link #roomStore}, {@link #chatStore} or {@link #userLimits} replaces its part.
         */
        public Builder backend(Backend value) {
            this.pubSub = value.pubSub();
            this.roomStore = value.roomStore();
            this.chatStore = value.chatStore();
            this.userLimits = value.userLimits();
            this.notificationHistory = value.notificationHistory();
            return this;
        }

        /**
         * Where the notification channels' frames are numbered and kept for recovering clients: a backend's
         * {@code notificationHistory()}. Without a {@link #backend} or this, there is no history: frames are only
         * published live, and a recovering client is told {@code recovered: false}.
         */
        public Builder notificationHistory(NotificationHistory value) {
            this.notificationHistory = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The per-user limits shared by the instances (connections per user, chat message rate); an
         * {@link InMemoryUserLimits} of this gateway's own when not set (the limits are then per instance).
         */
        public Builder userLimits(UserLimits value) {
            this.userLimits = Objects.requireNonNull(value);
            return this;
        }

        /** The broker; required unless a {@link #backend} is set. The gateway does not close it. */
        public Builder pubSub(PubSub value) {
            this.pubSub = Objects.requireNonNull(value);
            return this;
        }

        /** How handshake tokens become users; required (usually a {@code JwtAuthenticator}). */
        public Builder authenticator(Authenticator value) {
            this.authenticator = Objects.requireNonNull(value);
            return this;
        }

        /** Limits and timings; {@link GatewayConfig#DEFAULTS} when not set. */
        public Builder config(GatewayConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        /** Room state shared by the instances; an {@link InMemoryRoomStore} when not set (one instance only). */
        public Builder roomStore(RoomStore value) {
            this.roomStore = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Chat state shared by the instances; an {@link InMemoryChatStore} on the broker, keeping 1,000 messages per
         * room, when not set (one instance only).
         */
        public Builder chatStore(ChatStore value) {
            this.chatStore = Objects.requireNonNull(value);
            return this;
        }

        /** Who may subscribe to what; {@link ChannelAuthorizer#OWN_AND_BROADCAST} when not set. */
        public Builder channelAuthorizer(ChannelAuthorizer value) {
            this.channelAuthorizer = Objects.requireNonNull(value);
            return this;
        }

        /** Who may join rooms and control them; {@link RoomPolicy#OPEN} when not set. */
        public Builder roomPolicy(RoomPolicy value) {
            this.roomPolicy = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Who belongs to chat rooms; when not set, the chat store's member sets ({@link ChatStore#addMembers}, or
         * in Redis the set {@code matching:chat:{room_id}:members}). {@link ChatMembershipPolicy#OPEN} lets every
         * authenticated user in, for development.
         */
        public Builder chatMembership(ChatMembershipPolicy value) {
            this.chatMembership = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where the gateway's meters go (the application's registry: Spring Boot's, a Prometheus one, ...); none when
         * not set. The meters are listed in docs/operations.md.
         */
        public Builder meterRegistry(MeterRegistry value) {
            this.meterRegistry = Objects.requireNonNull(value);
            return this;
        }

        /** The time source of heartbeats and timestamps; the UTC system clock when not set. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** This instance's id in presence leases; a random UUID when not set. Never contains '|'. */
        public Builder instanceId(String value) {
            if (value.isEmpty() || value.contains("|")) {
                throw new IllegalArgumentException("an instance id is non-empty and has no '|'");
            }
            this.instanceId = value;
            return this;
        }

        /**
         * Builds and starts the gateway (its heartbeat and presence threads).
         *
         * @throws NullPointerException when the broker or the authenticator is not set
         */
        public Gateway build() {
            Objects.requireNonNull(pubSub, "pubSub: set the broker (an InMemoryPubSub, or realtime-redis's)");
            Objects.requireNonNull(authenticator, "authenticator: set one, such as a JwtAuthenticator");
            MeterRegistry meters = meterRegistry != null ? meterRegistry : new CompositeMeterRegistry();
            UserLimits limits = userLimits != null ? userLimits : new InMemoryUserLimits();
            Engine engine = new Engine(config, authenticator, clock, pubSub, instanceId, new GatewayMetrics(meters),
                    limits);
            RoomStore rooms = roomStore != null ? roomStore : new InMemoryRoomStore();
            ChatStore chats = chatStore != null ? chatStore : new InMemoryChatStore(pubSub, 1000);
            ChatMembershipPolicy membership = chatMembership != null
                    ? chatMembership : ChatMembershipPolicy.members(chats);
            NotificationHistory history = notificationHistory != null ? notificationHistory
                    : NotificationHistory.liveOnly(pubSub);
            engine.install(EndpointKind.NOTIFICATIONS, NotificationsFeature.endpoint(engine.context(),
                    channelAuthorizer, history));
            engine.install(EndpointKind.ROOM, RoomsFeature.endpoint(engine.context(), rooms, roomPolicy));
            engine.install(EndpointKind.CHAT, ChatFeature.endpoint(engine.context(), chats, membership));
            engine.start();
            return new Gateway(this, engine, rooms, chats, history);
        }
    }
}

package io.focusmate.realtime;

import io.focusmate.realtime.auth.AuthenticationException;
import io.focusmate.realtime.auth.Authenticator;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.InMemoryChatStore;
import io.focusmate.realtime.notify.NotificationPublisher;
import io.focusmate.realtime.protocol.ClientMessage;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.protocol.ProtocolException;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.room.InMemoryRoomStore;
import io.focusmate.realtime.room.RoomStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one gateway instance: it authenticates new sockets, enforces limits, routes channel messages from
 * the {@link PubSub} to local connections, and watches their liveness. Framework-agnostic: an adapter hands each
 * socket to {@link #open} and feeds the returned {@link Connection} the socket's events.
 *
 * <p>Thread-safe. Container threads call in for socket events; the broker's thread delivers messages; one
 * heartbeat thread checks liveness. No call blocks on network I/O. The gateway does not own the {@link PubSub}:
 * whoever built it closes it after {@link #close()}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final Clock clock;
    private final PubSub pubSub;
    private final String instanceId;
    private final StateExecutor state = new StateExecutor(4);
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ConnectionRegistry registry;
    private final ChannelRouter router;
    private final HeartbeatMonitor heartbeat;
    private final NotificationPublisher notifications;
    private final Map<EndpointKind, EndpointHandler> handlers = new EnumMap<>(EndpointKind.class);
    private final AtomicLong ids = new AtomicLong();
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;
    /** Written once by {@link #startDrain()}; read by any thread. */
    private volatile boolean draining;

    private Gateway(Builder builder) {
        this.config = builder.config;
        this.authenticator = Objects.requireNonNull(builder.authenticator, "authenticator");
        this.clock = builder.clock;
        this.pubSub = new MeteredPubSub(Objects.requireNonNull(builder.pubSub, "pubSub"), metrics);
        this.instanceId = builder.instanceId;
        this.registry = new ConnectionRegistry(config.maxConnectionsPerUser());
        this.router = new ChannelRouter(pubSub, metrics, clock);
        this.notifications = new NotificationPublisher(pubSub, clock);
        RoomStore rooms = builder.roomStore != null ? builder.roomStore : new InMemoryRoomStore();
        ChatStore chats = builder.chatStore != null ? builder.chatStore : new InMemoryChatStore(pubSub, 1000);
        ChatMembershipPolicy membership = builder.chatMembership != null
                ? builder.chatMembership : ChatMembershipPolicy.members(chats);
        this.handlers.put(EndpointKind.NOTIFICATIONS, new NotificationsEndpoint(this, builder.channelAuthorizer));
        this.handlers.put(EndpointKind.ROOM, new RoomEndpoint(this, rooms, builder.roomPolicy, state));
        this.handlers.put(EndpointKind.CHAT, new ChatEndpoint(this, chats, membership, state));
        this.heartbeat = new HeartbeatMonitor(this, registry, config);
        heartbeat.start(HeartbeatMonitor.sweepPeriod(config));
    }

    /** A builder; {@link Builder#pubSub} and {@link Builder#authenticator} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a new socket. It authenticates the handshake's token and applies the per-user limit; a refused socket
     * gets an error frame and a 1008 close, and the returned connection ignores further input. An accepted one gets
     * its endpoint's first frame.
     */
    public Connection open(EndpointKind endpoint, Handshake handshake, Transport transport) {
        Connection connection = new Connection(ids.incrementAndGet(), endpoint, this, transport,
                config.sendQueueMaxBytes(), nowMillis());
        registry.track(connection);
        if (closed) {
            connection.closeNow(CloseCode.GOING_AWAY);
            return connection;
        }
        if (draining) {
            metrics.rejected(endpoint, "draining");
            connection.closeNow(CloseCode.SERVICE_RESTART);
            return connection;
        }
        Principal user;
        try {
            user = authenticator.authenticate(handshake.token());
        } catch (AuthenticationException e) {
            metrics.rejected(endpoint, "auth");
            LOG.info("Refused connection: endpoint={} connection={} reason=\"{}\"", endpoint.label(), connection.id(),
                    e.getMessage());
            connection.refuse(ErrorCode.AUTH_ERROR, e.getMessage(), CloseCode.AUTH_FAILED);
            return connection;
        }
        connection.accept(user);
        if (!registry.addUserConnection(user.userId(), connection)) {
            metrics.rejected(endpoint, "too_many_connections");
            LOG.info("Refused connection: user={} endpoint={} connection={} reason=\"too many connections\"",
                    user.userId(), endpoint.label(), connection.id());
            connection.refuse(ErrorCode.TOO_MANY_CONNECTIONS, "Too many connections: the limit is "
                    + config.maxConnectionsPerUser() + " per user", CloseCode.TOO_MANY_CONNECTIONS);
            return connection;
        }
        metrics.accepted(endpoint);
        LOG.debug("Connected: user={} endpoint={} connection={}", user.userId(), endpoint.label(), connection.id());
        handlers.get(endpoint).onOpen(connection, handshake);
        return connection;
    }

    /** The Java publish API: notifications to one user, and announcements to everyone. */
    public NotificationPublisher notifications() {
        return notifications;
    }

    /** This gateway's counters. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The limits and timings in force. */
    public GatewayConfig config() {
        return config;
    }

    /** Open connections on this instance, including ones being refused or closed. */
    public int connectionCount() {
        return registry.size();
    }

    /** Open connections on one endpoint of this instance. */
    public int connectionCount(EndpointKind endpoint) {
        return registry.count(endpoint);
    }

    /** How many connections {@code userId} holds on this instance. */
    public int connectionCount(String userId) {
        return registry.userConnectionCount(userId);
    }

    /**
     * Closes every connection with 1001 (going away), lets their room and chat departures reach the stores (for up to
     * two seconds), and stops the heartbeat. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.stop();
        for (Connection connection : registry.all()) {
            if (!connection.closeNow(CloseCode.GOING_AWAY)) {
                release(connection, CloseCode.GOING_AWAY.code());
            }
        }
        state.stop();
    }

    /**
     * Whether this instance can deliver: its broker link is up (for Redis: connected and its canary coming back)
     * and it is not draining.
     */
    public GatewayHealth health() {
        BrokerHealth broker = pubSub.health();
        String status = draining ? "draining" : broker.isUp() ? "ok" : "unavailable";
        return new GatewayHealth(status, broker, registry.size());
    }

    /**
     * Starts a drain: new connections are refused with 1012 (service restart) and health reports {@code draining};
     * the caller then closes the open ones with {@link #drainOne} over its drain window.
     */
    public void startDrain() {
        draining = true;
    }

    /**
     * Closes the open connections with 1012 over {@code window}, evenly spread so that their clients do not all
     * reconnect at once; each connection's queued frames are written first. Returns when the last close was sent.
     */
    public void drain(Duration window) throws InterruptedException {
        startDrain();
        List<Connection> open = new ArrayList<>(registry.all());
        long start = System.nanoTime();
        for (int i = 0; i < open.size(); i++) {
            long due = start + window.toNanos() * i / Math.max(1, open.size());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            open.get(i).closeWhenDrained(CloseCode.SERVICE_RESTART);
        }
    }

    /** This instance's id, which owns its room presence leases. */
    public String instanceId() {
        return instanceId;
    }

    // --- called by connections, handlers and the heartbeat ---

    long nowMillis() {
        return clock.millis();
    }

    void dispatch(Connection connection, ClientMessage message) {
        try {
            handlers.get(connection.endpoint()).onMessage(connection, message);
        } catch (ProtocolException e) {
            connection.sendError(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Failed to handle a \"{}\" frame on {}", NotificationsEndpoint.shorten(message.type()),
                    connection, e);
            connection.sendError(ErrorCode.INTERNAL, "Internal error");
        }
    }

    /** Routes the channel to the connection; completes when live, or after the subscribe timeout. */
    CompletableFuture<Void> subscribe(Connection connection, String channel) {
        if (!connection.addChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ready = router.join(channel, connection.member());
        if (connection.isReleased()) {
            router.leave(channel, connection.member());
        }
        return ready.copy().completeOnTimeout(null, config.subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Routes a channel to a room's or chat's local fan-out; completes when the broker subscription is live. */
    CompletableFuture<Void> joinChannel(String channel, Member member) {
        return router.join(channel, member);
    }

    void leaveChannel(String channel, Member member) {
        router.leave(channel, member);
    }

    /** Publishes a frame on a channel; throws {@code PubSubException} when the broker did not take it. */
    void publish(String channel, String frame) {
        pubSub.publish(channel, frame);
    }

    void unsubscribe(Connection connection, String channel) {
        if (connection.removeChannel(channel)) {
            router.leave(channel, connection.member());
        }
    }

    /** Lets a closed connection go: its channels, its place in the user's limit. Idempotent. */
    void release(Connection connection, int code) {
        if (!registry.remove(connection)) {
            return;
        }
        metrics.closed(connection.endpoint(), code);
        for (String channel : connection.release()) {
            router.leave(channel, connection.member());
        }
        Principal user = connection.principal();
        if (user != null && connection.closing() != CloseCode.TOO_MANY_CONNECTIONS) {
            LOG.debug("Disconnected: user={} endpoint={} connection={} code={}", user.userId(),
                    connection.endpoint().label(), connection.id(), code);
            handlers.get(connection.endpoint()).onClose(connection);
        }
    }

    void overflowed(Connection connection) {
        metrics.queueOverflow();
        LOG.warn("Closing a slow consumer: {} had {} chars queued", connection, connection.queuedChars());
    }

    void idledOut(Connection connection) {
        metrics.idleTimeout();
        LOG.info("Closing an idle connection: {}", connection);
    }

    int routedChannelCount() {
        return router.channelCount();
    }

    /** Runs one heartbeat check now, on the caller's thread (the heartbeat thread does this periodically). */
    void sweepHeartbeat() {
        heartbeat.sweep(nowMillis());
    }

    /** Options of a {@link Gateway}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private PubSub pubSub;
        private Authenticator authenticator;
        private GatewayConfig config = GatewayConfig.DEFAULTS;
        private ChannelAuthorizer channelAuthorizer = ChannelAuthorizer.OWN_AND_BROADCAST;
        private Clock clock = Clock.systemUTC();
        private RoomStore roomStore;
        private ChatStore chatStore;
        private RoomPolicy roomPolicy = RoomPolicy.OPEN;
        private ChatMembershipPolicy chatMembership;
        private String instanceId = UUID.randomUUID().toString();

        private Builder() {
        }

        /** Room state shared by the instances; an {@code InMemoryRoomStore} when not set (one instance only). */
        public Builder roomStore(RoomStore value) {
            this.roomStore = Objects.requireNonNull(value);
            return this;
        }

        /** Chat state shared by the instances; an {@code InMemoryChatStore} on the pubSub when not set. */
        public Builder chatStore(ChatStore value) {
            this.chatStore = Objects.requireNonNull(value);
            return this;
        }

        /** Who may join rooms and control them; {@link RoomPolicy#OPEN} when not set. */
        public Builder roomPolicy(RoomPolicy value) {
            this.roomPolicy = Objects.requireNonNull(value);
            return this;
        }

        /** Who belongs to chat rooms; the chat store's member sets when not set. */
        public Builder chatMembership(ChatMembershipPolicy value) {
            this.chatMembership = Objects.requireNonNull(value);
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

        /** The broker; required. The gateway does not close it. */
        public Builder pubSub(PubSub value) {
            this.pubSub = value;
            return this;
        }

        /** How handshake tokens become users; required (usually a {@code JwtAuthenticator}). */
        public Builder authenticator(Authenticator value) {
            this.authenticator = value;
            return this;
        }

        /** Limits and timings; {@link GatewayConfig#DEFAULTS} when not set. */
        public Builder config(GatewayConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        /** Who may subscribe to what; {@link ChannelAuthorizer#OWN_AND_BROADCAST} when not set. */
        public Builder channelAuthorizer(ChannelAuthorizer value) {
            this.channelAuthorizer = Objects.requireNonNull(value);
            return this;
        }

        /** The time source of heartbeats and timestamps; the UTC system clock when not set. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** Builds and starts the gateway (its heartbeat thread). */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}

package io.focusmate.realtime;

import java.time.Duration;

/**
 * The limits and timings of a {@link Gateway}. Immutable; build it with {@link #builder()}.
 *
 * @param maxMessageBytes the largest client text frame in UTF-8 bytes (default 10240); larger closes with 1009
 * @param maxConnectionsPerUser how many connections one user may hold (default 5): on this instance, or on every
 *     instance when the backend shares connection leases (Redis)
 * @param heartbeatInterval how often a quiet connection gets a WebSocket ping frame (default 25 s; zero: never);
 *     the launcher's HEARTBEAT_INTERVAL
 * @param idleTimeout how long a connection may stay silent (no frame, no pong) before it is closed with 4000
 *     (default 60 s)
 * @param sendQueueMaxBytes how many bytes of frames may wait for one slow client before it is closed with 4001
 *     (default 1 MiB; counted as UTF-16 characters, which equals bytes for ASCII JSON)
 * @param subscribeTimeout how long a new connection waits for its broker subscriptions before frames flow anyway
 *     (default 5 s)
 * @param closeGrace how long a closing connection may take to flush its last frames before it is cut (default 5 s)
 * @param roomLease how long a room presence lease lives without renewal (default 15 s); an instance renews its leases
 *     every third of it, so a crashed instance's participants are announced as left within about 4/3 of it
 * @param roomListLimit the most participants a room lists in {@code room_state} and announces one by one (default
 *     250); a larger room sends its count instead, at most once a second
 * @param maxSettingsBytes the largest room settings object, as JSON (default 4096)
 * @param maxChatContentChars the longest chat message content (default 2000 characters)
 * @param chatReplayMax the most messages replayed to a reconnecting chat client (default 100)
 * @param typingTimeout how long a "typing" lasts without a refresh before it is stopped (default 5 s)
 * @param allowedOrigins the browser origins that may open a WebSocket (default: any); a handshake from another is
 *     refused with HTTP 403 by the adapter; the launcher's ALLOWED_ORIGINS
 * @param tokenRefreshWindow how long before its token's {@code exp} a connection is sent {@code token_expiring}
 *     (default 60 s); at {@code exp} plus the authenticator's clock skew an unrefreshed connection is closed with 4003
 * @param clientMessageRate how many frames per second one connection may send, on average (default 20; zero: no
 *     limit); a frame over it gets RATE_LIMITED, and ten times it for a second closes with 4008
 * @param clientMessageBurst how many frames one connection may send at once before the rate applies (default 40)
 * @param chatMessageRate how many chat messages per second one user may send, across all connections and instances
 *     (default 5; zero: no limit); the burst is twice the rate, and at least 1
 * @param connectionLease how long a counted connection lives in a shared broker without renewal (default 15 s); an
 *     instance renews its connections every third of it, so a crashed instance's connections stop counting toward
 *     {@code maxConnectionsPerUser} within it
 */
public record GatewayConfig(
        int maxMessageBytes,
        int maxConnectionsPerUser,
        Duration heartbeatInterval,
        Duration idleTimeout,
        long sendQueueMaxBytes,
        Duration subscribeTimeout,
        Duration closeGrace,
        Duration roomLease,
        int roomListLimit,
        int maxSettingsBytes,
        int maxChatContentChars,
        int chatReplayMax,
        Duration typingTimeout,
        AllowedOrigins allowedOrigins,
        Duration tokenRefreshWindow,
        double clientMessageRate,
        int clientMessageBurst,
        double chatMessageRate,
        Duration connectionLease) {

    /** The defaults of every setting. */
    public static final GatewayConfig DEFAULTS = builder().build();

    /** Fails fast, with a message naming the setting, when a value is out of range. */
    public GatewayConfig {
        require(maxMessageBytes >= 64, "maxMessageBytes must be at least 64");
        require(maxConnectionsPerUser >= 1, "maxConnectionsPerUser must be at least 1");
        require(!heartbeatInterval.isNegative(), "heartbeatInterval must not be negative");
        require(idleTimeout.toMillis() >= 10, "idleTimeout must be at least 10 ms");
        require(sendQueueMaxBytes >= 1024, "sendQueueMaxBytes must be at least 1024");
        require(subscribeTimeout.toMillis() >= 1, "subscribeTimeout must be positive");
        require(closeGrace.toMillis() >= 1, "closeGrace must be positive");
        require(roomLease.toMillis() >= 30, "roomLease must be at least 30 ms");
        require(roomListLimit >= 0, "roomListLimit must not be negative");
        require(maxSettingsBytes >= 2, "maxSettingsBytes must be at least 2");
        require(maxChatContentChars >= 1, "maxChatContentChars must be at least 1");
        require(chatReplayMax >= 1, "chatReplayMax must be at least 1");
        require(typingTimeout.toMillis() >= 10, "typingTimeout must be at least 10 ms");
        require(allowedOrigins != null, "allowedOrigins must not be null (AllowedOrigins.ANY allows every origin)");
        require(!tokenRefreshWindow.isNegative(), "tokenRefreshWindow must not be negative");
        require(clientMessageRate >= 0 && clientMessageRate <= 1_000_000, "clientMessageRate must be from 0 to 1000000");
        require(clientMessageBurst >= 1, "clientMessageBurst must be at least 1");
        require(chatMessageRate >= 0 && chatMessageRate <= 1_000_000, "chatMessageRate must be from 0 to 1000000");
        require(connectionLease.toMillis() >= 30, "connectionLease must be at least 30 ms");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().maxMessageBytes(maxMessageBytes).maxConnectionsPerUser(maxConnectionsPerUser)
                .heartbeatInterval(heartbeatInterval).idleTimeout(idleTimeout).sendQueueMaxBytes(sendQueueMaxBytes)
                .subscribeTimeout(subscribeTimeout).closeGrace(closeGrace).roomLease(roomLease)
                .roomListLimit(roomListLimit).maxSettingsBytes(maxSettingsBytes)
                .maxChatContentChars(maxChatContentChars)
                .chatReplayMax(chatReplayMax).typingTimeout(typingTimeout).allowedOrigins(allowedOrigins)
                .tokenRefreshWindow(tokenRefreshWindow).clientMessageRate(clientMessageRate)
                .clientMessageBurst(clientMessageBurst).chatMessageRate(chatMessageRate)
                .connectionLease(connectionLease);
    }

    /** Builds a {@link GatewayConfig}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private int maxMessageBytes = 10_240;
        private int maxConnectionsPerUser = 5;
        private Duration heartbeatInterval = Duration.ofSeconds(25);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private long sendQueueMaxBytes = 1 << 20;
        private Duration subscribeTimeout = Duration.ofSeconds(5);
        private Duration closeGrace = Duration.ofSeconds(5);
        private Duration roomLease = Duration.ofSeconds(15);
        private int roomListLimit = 250;
        private int maxSettingsBytes = 4096;
        private int maxChatContentChars = 2000;
        private int chatReplayMax = 100;
        private Duration typingTimeout = Duration.ofSeconds(5);
        private AllowedOrigins allowedOrigins = AllowedOrigins.ANY;
        private Duration tokenRefreshWindow = Duration.ofSeconds(60);
        private double clientMessageRate = 20;
        private int clientMessageBurst = 40;
        private double chatMessageRate = 5;
        private Duration connectionLease = Duration.ofSeconds(15);

        private Builder() {
        }

        /** See {@link GatewayConfig#roomLease()}. */
        public Builder roomLease(Duration value) {
            this.roomLease = value;
            return this;
        }

        /** See {@link GatewayConfig#roomListLimit()}. */
        public Builder roomListLimit(int value) {
            this.roomListLimit = value;
            return this;
        }

        /** See {@link GatewayConfig#maxSettingsBytes()}. */
        public Builder maxSettingsBytes(int value) {
            this.maxSettingsBytes = value;
            return this;
        }

        /** See {@link GatewayConfig#maxChatContentChars()}. */
        public Builder maxChatContentChars(int value) {
            this.maxChatContentChars = value;
            return this;
        }

        /** See {@link GatewayConfig#chatReplayMax()}. */
        public Builder chatReplayMax(int value) {
            this.chatReplayMax = value;
            return this;
        }

        /** See {@link GatewayConfig#typingTimeout()}. */
        public Builder typingTimeout(Duration value) {
            this.typingTimeout = value;
            return this;
        }

        /** See {@link GatewayConfig#allowedOrigins()}. */
        public Builder allowedOrigins(AllowedOrigins value) {
            this.allowedOrigins = value;
            return this;
        }

        /** See {@link GatewayConfig#tokenRefreshWindow()}. */
        public Builder tokenRefreshWindow(Duration value) {
            this.tokenRefreshWindow = value;
            return this;
        }

        /** See {@link GatewayConfig#clientMessageRate()}. */
        public Builder clientMessageRate(double value) {
            this.clientMessageRate = value;
            return this;
        }

        /** See {@link GatewayConfig#clientMessageBurst()}. */
        public Builder clientMessageBurst(int value) {
            this.clientMessageBurst = value;
            return this;
        }

        /** See {@link GatewayConfig#chatMessageRate()}. */
        public Builder chatMessageRate(double value) {
            this.chatMessageRate = value;
            return this;
        }

        /** See {@link GatewayConfig#connectionLease()}. */
        public Builder connectionLease(Duration value) {
            this.connectionLease = value;
            return this;
        }

        /** See {@link GatewayConfig#maxMessageBytes()}. */
        public Builder maxMessageBytes(int value) {
            this.maxMessageBytes = value;
            return this;
        }

        /** See {@link GatewayConfig#maxConnectionsPerUser()}. */
        public Builder maxConnectionsPerUser(int value) {
            this.maxConnectionsPerUser = value;
            return this;
        }

        /** See {@link GatewayConfig#heartbeatInterval()}. */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** See {@link GatewayConfig#idleTimeout()}. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /** See {@link GatewayConfig#sendQueueMaxBytes()}. */
        public Builder sendQueueMaxBytes(long value) {
            this.sendQueueMaxBytes = value;
            return this;
        }

        /** See {@link GatewayConfig#subscribeTimeout()}. */
        public Builder subscribeTimeout(Duration value) {
            this.subscribeTimeout = value;
            return this;
        }

        /** See {@link GatewayConfig#closeGrace()}. */
        public Builder closeGrace(Duration value) {
            this.closeGrace = value;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public GatewayConfig build() {
            return new GatewayConfig(maxMessageBytes, maxConnectionsPerUser, heartbeatInterval, idleTimeout,
                    sendQueueMaxBytes, subscribeTimeout, closeGrace, roomLease, roomListLimit, maxSettingsBytes,
                    maxChatContentChars, chatReplayMax, typingTimeout, allowedOrigins, tokenRefreshWindow,
                    clientMessageRate, clientMessageBurst, chatMessageRate, connectionLease);
        }
    }
}

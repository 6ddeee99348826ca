package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.GatewayHealth;
import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.auth.AuthenticationException;
import io.focusmate.realtime.auth.Authenticator;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one gateway instance: it authenticates new sockets, enforces limits, hands accepted sessions to
 * their endpoint, and lets closed ones go. It owns the session registry, the channel router and the heartbeat;
 * sessions report to it as their {@link Session.Owner}, and endpoints reach the rest through the
 * {@link EndpointContext}, never through the engine.
 *
 * <p>Thread-safe. Container threads call in for socket events; the broker's thread delivers messages; one
 * heartbeat thread checks liveness. No call blocks on network I/O.
 */
public final class Engine implements Session.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** The longest token accepted, in characters; a longer one is refused before it is parsed. */
    static final int MAX_TOKEN_CHARS = 4096;

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final Clock clock;
    private final PubSub pubSub;
    private final GatewayMetrics metrics;
    private final StateExecutor state = new StateExecutor(4);
    private final SessionRegistry registry;
    private final ChannelRouter router;
    private final HeartbeatMonitor heartbeat;
    private final EndpointContext context;
    private final ConnectionAdmission admission;
    /** Filled by {@link #install} before {@link #start()}; read-only afterwards. */
    private final Map<EndpointKind, EndpointHandler> handlers = new EnumMap<>(EndpointKind.class);
    private final AtomicLong ids = new AtomicLong();
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;
    /** Written once by {@link #startDrain()}; read by any thread. */
    private volatile boolean draining;

    /**
     * @param pubSub the broker; the engine counts its refused publishes and never closes it
     * @param limits the per-user limits shared by the instances (connections, chat rate)
     */
    public Engine(GatewayConfig config, Authenticator authenticator, Clock clock, PubSub pubSub, String instanceId,
                  GatewayMetrics metrics, UserLimits limits) {
        this.config = config;
        this.authenticator = authenticator;
        this.clock = clock;
        this.metrics = metrics;
        this.pubSub = new MeteredPubSub(pubSub, metrics);
        this.registry = new SessionRegistry(config.maxConnectionsPerUser());
        this.router = new ChannelRouter(this.pubSub, metrics, clock);
        this.heartbeat = new HeartbeatMonitor(clock, registry, metrics, config);
        SharedLimits shared = new SharedLimits(limits, clock);
        this.context = new EndpointContext(config, clock, instanceId, this.pubSub, router, metrics, state, shared);
        this.admission = new ConnectionAdmission(config, instanceId, registry, shared, state, this::admitted,
                this::dispatch, this::refuseTooMany);
        metrics.connectionGauges(registry, SessionRegistry::count);
        metrics.brokerGauges(this.pubSub::health);
    }

    /** The broker as the gateway uses it: refused publishes are counted. */
    public PubSub pubSub() {
        return pubSub;
    }

    /** What the endpoints get. */
    public EndpointContext context() {
        return context;
    }

    /** Sets the handler of an endpoint kind; before {@link #start()} only. */
    public void install(EndpointKind kind, EndpointHandler handler) {
        handlers.put(kind, handler);
    }

    /** Starts the heartbeat; every endpoint kind must have its handler. */
    public void start() {
        for (EndpointKind kind : EndpointKind.values()) {
            if (!handlers.containsKey(kind)) {
                throw new IllegalStateException("no handler for " + kind);
            }
        }
        heartbeat.start(HeartbeatMonitor.sweepPeriod(config));
        admission.start();
    }

    /** See {@code Gateway#open}. */
    public Connection open(EndpointKind endpoint, Handshake handshake, Transport transport) {
        FrameRateLimiter limiter = config.clientMessageRate() == 0 ? null
                : new FrameRateLimiter(config.clientMessageRate(), config.clientMessageBurst(), System.nanoTime());
        Session session = new Session(ids.incrementAndGet(), endpoint, this, metrics, config.maxMessageBytes(),
                transport, config.sendQueueMaxBytes(), limiter, clock.millis());
        registry.track(session);
        if (closed) {
            session.closeNow(CloseCode.GOING_AWAY);
            return session;
        }
        if (draining) {
            metrics.rejected(endpoint, "draining");
            session.closeNow(CloseCode.SERVICE_RESTART);
            return session;
        }
        Principal user;
        try {
            user = authenticate(handshake.token());
        } catch (AuthenticationException e) {
            metrics.rejected(endpoint, "auth");
            SecurityLog.refusedToken(endpoint, session.id(), e.getMessage());
            session.refuse(ErrorCode.AUTH_ERROR, e.getMessage(),
                    e.temporary() ? CloseCode.INTERNAL_ERROR : CloseCode.AUTH_FAILED);
            return session;
        }
        session.accept(user);
        admission.admit(session, handshake);
        return session;
    }

    /** Within the per-user limit: the endpoint takes over (at once, or once the shared limit answered). */
    private void admitted(Session session, Handshake handshake) {
        metrics.accepted(session.endpoint());
        LOG.debug("Connected: user={} endpoint={} connection={}", session.principal().userId(),
                session.endpoint().label(), session.id());
        handlers.get(session.endpoint()).onOpen(session, handshake);
    }

    private void refuseTooMany(Session session) {
        metrics.rejected(session.endpoint(), "too_many_connections");
        SecurityLog.tooManyConnections(session);
        session.refuse(ErrorCode.TOO_MANY_CONNECTIONS, "Too many connections: the limit is "
                + config.maxConnectionsPerUser() + " per user", CloseCode.TOO_MANY_CONNECTIONS);
    }

    /** See {@code Gateway#allowsOrigin}. */
    public boolean allowsOrigin(EndpointKind endpoint, String origin) {
        if (config.allowedOrigins().allows(origin)) {
            return true;
        }
        metrics.rejected(endpoint, "origin");
        SecurityLog.refusedOrigin(endpoint, origin);
        return false;
    }

    /** Verifies a token, refusing an overlong one before any parsing. */
    private Principal authenticate(String token) throws AuthenticationException {
        if (token != null && token.length() > MAX_TOKEN_CHARS) {
            throw new AuthenticationException("Authentication failed: the token is longer than " + MAX_TOKEN_CHARS
                    + " characters");
        }
        return authenticator.authenticate(token);
    }

    /**
     * An in-band token refresh: a valid token of the same user extends the connection to the new token's expiry; a
     * refused one leaves the old expiry in force.
     */
    private void refresh(Session session, ClientMessage message) {
        String token = message.requireText("token");
        Principal proof;
        try {
            proof = authenticate(token);
        } catch (AuthenticationException e) {
            SecurityLog.refusedRefresh(session, e.getMessage());
            session.sendError(ErrorCode.AUTH_ERROR, "Refresh refused: " + e.getMessage()
                    + "; the connection keeps its old expiry");
            return;
        }
        if (!proof.userId().equals(session.principal().userId())) {
            SecurityLog.refusedRefresh(session, "another user's token");
            session.sendError(ErrorCode.AUTH_ERROR, "Refresh refused: the token is for another user; the connection "
                    + "keeps its old expiry");
            return;
        }
        session.extend(proof);
        session.send(ServerFrames.refreshed(session.expiresAtMillis()));
    }

    @Override
    public long nowMillis() {
        return clock.millis();
    }

    @Override
    public void received(Session session, ClientMessage message) {
        if (!admission.holds(session, message)) {
            dispatch(session, message);
        }
    }

    /** Handles a frame of an admitted session. */
    private void dispatch(Session session, ClientMessage message) {
        try {
            if (message.type().equals("refresh")) {
                refresh(session, message);
                return;
            }
            handlers.get(session.endpoint()).onMessage(session, message);
        } catch (ProtocolException e) {
            session.sendError(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Failed to handle a \"{}\" frame on {}", ClientMessage.shorten(message.type()), session, e);
            session.sendError(ErrorCode.INTERNAL, "Internal error");
        }
    }

    @Override
    public void released(Session session, int code) {
        if (!registry.remove(session)) {
            return;
        }
        metrics.closed(session.endpoint(), code);
        for (String channel : session.release()) {
            router.leave(channel, session.member());
        }
        admission.release(session);
        Principal user = session.principal();
        if (user != null && session.closing() != CloseCode.TOO_MANY_CONNECTIONS) {
            LOG.debug("Disconnected: user={} endpoint={} connection={} code={}", user.userId(),
                    session.endpoint().label(), session.id(), code);
            handlers.get(session.endpoint()).onClose(session);
        }
    }

    @Override
    public void flooded(Session session) {
        SecurityLog.flooded(session);
    }

    @Override
    public void overflowed(Session session) {
        metrics.queueOverflow();
        LOG.warn("Closing a slow consumer: {} had {} chars queued", session, session.queuedChars());
    }

    /** See {@code Gateway#close}. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.stop();
        for (Session session : registry.all()) {
            if (!session.closeNow(CloseCode.GOING_AWAY)) {
                released(session, CloseCode.GOING_AWAY.code());
            }
        }
        state.stop();
    }

    /** See {@code Gateway#health}. */
    public GatewayHealth health() {
        BrokerHealth broker = pubSub.health();
        String status = draining ? "draining" : broker.isUp() ? "ok" : "unavailable";
        return new GatewayHealth(status, broker, registry.size());
    }

    public void startDrain() {
        draining = true;
    }

    /** See {@code Gateway#drain}. */
    public void drain(Duration window) throws InterruptedException {
        startDrain();
        List<Session> open = new ArrayList<>(registry.all());
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

    public int connectionCount() {
        return registry.size();
    }

    public int connectionCount(EndpointKind endpoint) {
        return registry.count(endpoint);
    }

    public int connectionCount(String userId) {
        return registry.userConnectionCount(userId);
    }

    /** Channels routed on this instance (tests). */
    public int routedChannelCount() {
        return router.channelCount();
    }

    /** Runs one heartbeat check now, on the caller's thread (tests; the heartbeat thread does it periodically). */
    public void sweepHeartbeat() {
        heartbeat.sweep(clock.millis());
    }
}

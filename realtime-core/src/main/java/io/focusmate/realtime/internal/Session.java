package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The engine's side of one client's WebSocket: the {@link Connection} an adapter feeds, its bounded outbound queue,
 * its liveness times and the channels it is routed from. It reports to a narrow {@link Owner}.
 *
 * <p>Thread-safe: the adapter may call the {@code on*} methods from any container thread, and deliveries come from
 * the broker's thread.
 */
public final class Session implements Connection {
    /** What a session reports to: the engine that opened it. */
    public interface Owner {
        /** The clock time in ms. */
        long nowMillis();

        /** A well-formed client frame arrived on an accepted, open session. */
        void received(Session session, ClientMessage message);

        /** The socket is gone: let the session go (channels, limits, presence). Idempotent. */
        void released(Session session, int code);

        /** The session's outbound queue overflowed; it is being closed as a slow consumer. */
        void overflowed(Session session);

        /** The client sent far over its frame rate for a second; it is being closed with 4008. */
        void flooded(Session session);
    }

    private final long id;
    private final EndpointKind endpoint;
    private final Owner owner;
    private final GatewayMetrics metrics;
    private final int maxMessageBytes;
    private final Transport transport;
    private final OutboundQueue queue;
    /** The inbound frame budget, or null when frames are not rate limited. */
    private final FrameRateLimiter limiter;
    private final Member member = this::deliver;
    /** Written once by the opening thread, before the session joins a channel: a recovering session's gate, or null. */
    private volatile ReplayGate gate;
    /** Written once by the opening thread before the connection is shared; null while unauthenticated. */
    private volatile Principal principal;
    /** Any thread: the clock time (ms) of the last frame or pong from the client. */
    private volatile long lastSeenMillis;
    /** Heartbeat thread only: the clock time (ms) of the last ping sent. */
    private long lastPingMillis;
    /** Any thread: the clock time (ms) when a close began, or 0 while open. */
    private volatile long closingSinceMillis;
    /** Any thread: the close under way, or null while open. */
    private volatile CloseCode closing;
    /** Written once by the opening thread (room and chat endpoints): the room id, or null. */
    private volatile String room;
    /** Any thread: when the proof of identity expires (clock ms), or 0 when it does not. */
    private volatile long expiresAtMillis;
    /** Guarded by {@code this}: the expiry that {@code token_expiring} was last sent for, or 0. */
    private long warnedForMillis;
    /** Guarded by {@code this}: the channels this connection is routed from. */
    private final Set<String> channels = new HashSet<>(4); // a few channels each: a small table
    /** Guarded by {@code this}: the gateway has let the connection go; no channel may be added. */
    private boolean released;

    Session(long id, EndpointKind endpoint, Owner owner, GatewayMetrics metrics, int maxMessageBytes,
            Transport transport, long queueMaxChars, FrameRateLimiter limiter, long now) {
        this.id = id;
        this.endpoint = endpoint;
        this.owner = owner;
        this.metrics = metrics;
        this.maxMessageBytes = maxMessageBytes;
        this.transport = transport;
        this.queue = new OutboundQueue(transport, queueMaxChars, true);
        this.limiter = limiter;
        this.lastSeenMillis = now;
        this.lastPingMillis = now;
    }

    @Override
    public void onText(String text) {
        touch();
        if (principal == null || closingSinceMillis != 0 || !withinRate()) {
            return;
        }
        if (exceeds(text, maxMessageBytes)) {
            refuse(ErrorCode.MESSAGE_TOO_LARGE, "Message too large: the limit is " + maxMessageBytes + " bytes",
                    CloseCode.MESSAGE_TOO_LARGE);
            return;
        }
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (ProtocolException e) {
            metrics.frameIn(endpoint, "invalid");
            sendError(e.code(), e.getMessage());
            return;
        }
        metrics.frameIn(endpoint, message.type());
        owner.received(this, message);
    }

    /** Takes the frame from the budget; false (after answering or closing as the budget says) when over it. */
    private boolean withinRate() {
        if (limiter == null) {
            return true;
        }
        FrameRateLimiter.Verdict verdict = limiter.admit(System.nanoTime());
        if (verdict == FrameRateLimiter.Verdict.ADMIT) {
            return true;
        }
        metrics.frameIn(endpoint, "rate_limited");
        if (verdict == FrameRateLimiter.Verdict.REFUSE) {
            sendError(ErrorCode.RATE_LIMITED, "Rate limited: the frame was not processed; send at most "
                    + limiter.describe());
        } else if (verdict == FrameRateLimiter.Verdict.FLOOD) {
            owner.flooded(this);
            refuse(ErrorCode.RATE_LIMITED, "Rate limit exceeded: closing", CloseCode.RATE_LIMIT_EXCEEDED);
        }
        return false;
    }

    @Override
    public void onBinary() {
        touch();
        metrics.frameIn(endpoint, "binary");
        if (closingSinceMillis == 0) {
            refuse(ErrorCode.INVALID_MESSAGE, "Binary frames are not supported; send JSON text",
                    CloseCode.UNSUPPORTED_DATA);
        }
    }

    @Override
    public void onPong() {
        touch();
    }

    @Override
    public void onClosed(int code) {
        queue.markClosed();
        owner.released(this, code);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public EndpointKind endpoint() {
        return endpoint;
    }

    @Override
    public long id() {
        return id;
    }

    // --- core side ---

    void accept(Principal user) {
        this.principal = user;
        this.expiresAtMillis = expiryOf(user);
    }

    /** The user proved itself again (an in-band token refresh): the connection now lives until this proof expires. */
    void extend(Principal proof) {
        this.expiresAtMillis = expiryOf(proof);
    }

    private static long expiryOf(Principal user) {
        return user.expiresAt() == null ? 0 : Math.max(1, user.expiresAt().toEpochMilli());
    }

    /** When the proof of identity expires (clock ms), or 0 when it does not. */
    long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** Records that {@code token_expiring} goes out for {@code expiry}; false when it already went. */
    synchronized boolean warnExpiry(long expiry) {
        if (warnedForMillis == expiry) {
            return false;
        }
        warnedForMillis = expiry;
        return true;
    }

    public void room(String roomId) {
        this.room = roomId;
    }

    /** The room of a room or chat connection, or null. */
    public String room() {
        return room;
    }

    /** Routes this session's channel frames through a recovery gate; before it joins any channel. */
    public void gate(ReplayGate value) {
        this.gate = value;
    }

    private int deliver(OutboundFrame frame) {
        ReplayGate replay = gate;
        if (replay == null) {
            return send(frame.summary().offset() < 0 ? frame : frame.bare()) ? 1 : 0;
        }
        return replay.admit(frame, this) && send(frame) ? 1 : 0;
    }

    /** This session as a channel member: a stable identity for joining and leaving the router. */
    Member member() {
        return member;
    }

    /** Queues a frame; overflow closes the connection as a slow consumer. */
    public boolean send(String frame) {
        return send(new OutboundFrame(frame));
    }

    /** Queues a frame shared with other recipients; overflow closes the connection as a slow consumer. */
    public boolean send(OutboundFrame frame) {
        OutboundQueue.Offer offer = queue.offer(frame);
        if (offer == OutboundQueue.Offer.QUEUED) {
            metrics.frameOut(frame.type());
        } else if (offer == OutboundQueue.Offer.OVERFLOW) {
            owner.overflowed(this);
            closeNow(CloseCode.SLOW_CONSUMER);
        }
        return offer == OutboundQueue.Offer.QUEUED;
    }

    /**
     * Queues a frame of a recovery's replay, which does not count toward the outbound limit (the history bounds it);
     * only before {@link #resumeOutbound()}.
     */
    public void sendReplayed(String frame) {
        OutboundFrame replayed = new OutboundFrame(frame);
        queue.offerUncounted(replayed);
        metrics.frameOut(replayed.type());
    }

    /** Queues the endpoint's greeting ahead of everything queued so far; only before {@link #resumeOutbound()}. */
    public void sendFirst(String frame) {
        OutboundFrame greeting = new OutboundFrame(frame);
        if (queue.offerFirst(greeting)) {
            metrics.frameOut(greeting.type());
        }
    }

    public void sendError(ErrorCode code, String message) {
        send(ServerFrames.error(code, message));
    }

    /** Sends an error frame, then closes with {@code close} once it is written. */
    public void refuse(ErrorCode code, String message, CloseCode close) {
        sendError(code, message);
        closeWhenDrained(close);
    }

    public void closeWhenDrained(CloseCode close) {
        markClosing(close);
        queue.closeWhenDrained(close);
    }

    /** Drops queued frames and closes; returns false when the socket was already closed. */
    public boolean closeNow(CloseCode close) {
        markClosing(close);
        return queue.closeNow(close);
    }

    /** The close under way, or null while open. */
    CloseCode closing() {
        return closing;
    }

    void ping() {
        transport.ping();
    }

    public void resumeOutbound() {
        queue.resume();
    }

    long queuedChars() {
        return queue.queuedChars();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    long lastPingMillis() {
        return lastPingMillis;
    }

    void pinged(long now) {
        lastPingMillis = now;
    }

    long closingSinceMillis() {
        return closingSinceMillis;
    }

    /** Records a channel; returns false when it was already recorded or the connection is released. */
    synchronized boolean addChannel(String channel) {
        return !released && channels.add(channel);
    }

    public synchronized boolean isReleased() {
        return released;
    }

    synchronized boolean removeChannel(String channel) {
        return channels.remove(channel);
    }

    public synchronized int channelCount() {
        return channels.size();
    }

    /** Marks the connection released and takes every channel away. */
    synchronized Set<String> release() {
        released = true;
        Set<String> copy = Set.copyOf(channels);
        channels.clear();
        return copy;
    }

    private void markClosing(CloseCode close) {
        if (closingSinceMillis == 0) {
            closing = close;
            closingSinceMillis = Math.max(1, owner.nowMillis());
        }
    }

    private void touch() {
        lastSeenMillis = owner.nowMillis();
    }

    /** Whether the UTF-8 encoding of {@code text} is longer than {@code limit} bytes, without encoding it twice. */
    static boolean exceeds(String text, int limit) {
        int chars = text.length();
        if (chars > limit) {
            return true;
        }
        if ((long) chars * 3 <= limit) {
            return false;
        }
        return text.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    @Override
    public String toString() {
        Principal user = principal;
        return "Connection[" + id + ", " + endpoint.label() + (user == null ? "" : ", user=" + user.userId()) + "]";
    }
}

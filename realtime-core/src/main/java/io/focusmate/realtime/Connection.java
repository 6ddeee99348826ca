package io.focusmate.realtime;

import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.protocol.ClientMessage;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.protocol.ProtocolException;
import io.focusmate.realtime.protocol.ServerFrames;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * One client's WebSocket as the core sees it. An adapter gets it from {@link Gateway#open} and feeds it the socket's
 * events; the core writes to the client through the connection's bounded outbound queue.
 *
 * <p>Thread-safe: the adapter may call the {@code on*} methods from any container thread, and deliveries come from
 * the broker's thread.
 */
public final class Connection {
    private final long id;
    private final EndpointKind endpoint;
    private final Gateway gateway;
    private final Transport transport;
    private final OutboundQueue queue;
    private final Member member = frame -> send(frame) ? 1 : 0;
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
    /** Guarded by {@code this}: the channels this connection is routed from. */
    private final Set<String> channels = new HashSet<>();
    /** Guarded by {@code this}: the gateway has let the connection go; no channel may be added. */
    private boolean released;

    Connection(long id, EndpointKind endpoint, Gateway gateway, Transport transport, long queueMaxChars, long now) {
        this.id = id;
        this.endpoint = endpoint;
        this.gateway = gateway;
        this.transport = transport;
        this.queue = new OutboundQueue(transport, queueMaxChars, true);
        this.lastSeenMillis = now;
        this.lastPingMillis = now;
    }

    /** The adapter received a text frame. */
    public void onText(String text) {
        touch();
        if (principal == null || closingSinceMillis != 0) {
            return;
        }
        if (exceeds(text, gateway.config().maxMessageBytes())) {
            refuse(ErrorCode.MESSAGE_TOO_LARGE, "Message too large: the limit is "
                    + gateway.config().maxMessageBytes() + " bytes", CloseCode.MESSAGE_TOO_LARGE);
            return;
        }
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (ProtocolException e) {
            gateway.metrics().frameIn(endpoint, "invalid");
            sendError(e.code(), e.getMessage());
            return;
        }
        gateway.metrics().frameIn(endpoint, message.type());
        gateway.dispatch(this, message);
    }

    /** The adapter received a binary frame, which the protocol does not allow. */
    public void onBinary() {
        touch();
        gateway.metrics().frameIn(endpoint, "binary");
        if (closingSinceMillis == 0) {
            refuse(ErrorCode.INVALID_MESSAGE, "Binary frames are not supported; send JSON text",
                    CloseCode.UNSUPPORTED_DATA);
        }
    }

    /** The adapter received a pong (the answer to {@link Transport#ping()}). */
    public void onPong() {
        touch();
    }

    /** The socket closed, whoever closed it. Idempotent. */
    public void onClosed(int code) {
        queue.markClosed();
        gateway.release(this, code);
    }

    /** The user, or null while the connection is not authenticated. */
    public Principal principal() {
        return principal;
    }

    /** The endpoint this connection is on. */
    public EndpointKind endpoint() {
        return endpoint;
    }

    /** A process-unique id, for logs. */
    public long id() {
        return id;
    }

    // --- core side ---

    void accept(Principal user) {
        this.principal = user;
    }

    void room(String roomId) {
        this.room = roomId;
    }

    /** The room of a room or chat connection, or null. */
    String room() {
        return room;
    }

    /** This connection as a channel member: a stable identity for joining and leaving the router. */
    Member member() {
        return member;
    }

    /** Queues a frame; overflow closes the connection as a slow consumer. */
    boolean send(String frame) {
        return send(new OutboundFrame(frame));
    }

    /** Queues a frame shared with other recipients; overflow closes the connection as a slow consumer. */
    boolean send(OutboundFrame frame) {
        OutboundQueue.Offer offer = queue.offer(frame);
        if (offer == OutboundQueue.Offer.QUEUED) {
            gateway.metrics().frameOut(frame.type());
        } else if (offer == OutboundQueue.Offer.OVERFLOW) {
            gateway.overflowed(this);
            closeNow(CloseCode.SLOW_CONSUMER);
        }
        return offer == OutboundQueue.Offer.QUEUED;
    }

    /** Queues the endpoint's greeting ahead of everything queued so far; only before {@link #resumeOutbound()}. */
    void sendFirst(String frame) {
        queue.offerFirst(new OutboundFrame(frame));
    }

    void sendError(ErrorCode code, String message) {
        send(ServerFrames.error(code, message));
    }

    /** Sends an error frame, then closes with {@code close} once it is written. */
    void refuse(ErrorCode code, String message, CloseCode close) {
        sendError(code, message);
        closeWhenDrained(close);
    }

    void closeWhenDrained(CloseCode close) {
        markClosing(close);
        queue.closeWhenDrained(close);
    }

    /** Drops queued frames and closes; returns false when the socket was already closed. */
    boolean closeNow(CloseCode close) {
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

    void resumeOutbound() {
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

    synchronized boolean isReleased() {
        return released;
    }

    synchronized boolean removeChannel(String channel) {
        return channels.remove(channel);
    }

    synchronized int channelCount() {
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
            closingSinceMillis = Math.max(1, gateway.nowMillis());
        }
    }

    private void touch() {
        lastSeenMillis = gateway.nowMillis();
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

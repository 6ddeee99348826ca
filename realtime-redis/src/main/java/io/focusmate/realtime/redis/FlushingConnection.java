package io.focusmate.realtime.redis;

import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import java.io.IOException;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.PushConsumerChain;
import redis.clients.jedis.util.RedisInputStream;

/**
 * The subscriber's connection: before it reads the next reply with nothing left to read (the thread is about to
 * wait on the socket), it flushes the writes that the messages delivered so far held (see
 * {@link ChannelListeners#dispatchHeld}). Messages that arrive together therefore leave in one write per client
 * socket, and a lone message leaves as soon as it is delivered. Used by the subscriber thread only.
 */
final class FlushingConnection extends Connection {
    /** Set once, after the handshake that the superclass's constructor reads. */
    private final ChannelListeners listeners;

    FlushingConnection(HostAndPort address, JedisClientConfig config, ChannelListeners listeners) {
        super(address, config);
        this.listeners = listeners;
    }

    @Override
    protected Object protocolRead(RedisInputStream in, PushConsumerChain pushConsumers) {
        // listeners is null while Connection's constructor connects and reads the handshake's replies
        if (listeners != null && listeners.holdsWrites() && nothingToRead(in)) {
            listeners.flushHeld();
        }
        return super.protocolRead(in, pushConsumers);
    }

    private static boolean nothingToRead(RedisInputStream in) {
        try {
            return in.available() == 0; // buffered bytes, else what the socket has
        } catch (IOException e) {
            return true; // the read that follows reports the failure
        }
    }
}

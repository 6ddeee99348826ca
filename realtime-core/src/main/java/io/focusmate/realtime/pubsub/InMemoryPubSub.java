package io.focusmate.realtime.pubsub;

import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PubSub} inside one process, for a single gateway instance and for tests.
 *
 * <p>Publishing puts the message on a bounded queue; one daemon thread, {@code realtime-inmemory-pubsub}, delivers
 * the queue in order. When the queue is full, {@link #publish} waits up to the configured time and then throws
 * {@link PubSubException}: the caller learns the message was not sent, and memory stays bounded.
 */
public final class InMemoryPubSub implements PubSub {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryPubSub.class);
    private static final Message POISON = new Message("", "");

    private final BlockingQueue<Message> queue;
    private final long offerTimeoutMillis;
    private final ChannelListeners listeners;
    private final Thread deliverer;
    /** Written once by {@link #close()}; read by any thread. */
    private volatile boolean closed;

    /** A broker with a queue of 65,536 messages and a one-second publish wait. */
    public InMemoryPubSub() {
        this(65_536, 1_000);
    }

    /**
     * @param capacity how many published messages may wait for delivery
     * @param offerTimeoutMillis how long {@link #publish} waits for room before it fails
     */
    public InMemoryPubSub(int capacity, long offerTimeoutMillis) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.listeners = new ChannelListeners(this::confirm, channel -> { });
        this.deliverer = new Thread(this::deliverLoop, "realtime-inmemory-pubsub");
        deliverer.setDaemon(true);
        deliverer.start();
    }

    @Override
    public void publish(String channel, String payload) {
        if (closed) {
            throw new PubSubException("The in-memory broker is closed", null);
        }
        boolean accepted;
        try {
            accepted = queue.offer(new Message(channel, payload), offerTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PubSubException("Interrupted while publishing", e);
        }
        if (!accepted) {
            throw new PubSubException("The in-memory broker is full (" + queue.size() + " messages waiting)", null);
        }
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return listeners.add(channel, listener);
    }

    private void confirm(String channel) {
        listeners.confirm(channel);
    }

    @Override
    public boolean isConnected() {
        return !closed;
    }

    @Override
    public BrokerHealth health() {
        return new BrokerHealth(closed ? "closed" : BrokerHealth.UP, -1, -1);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(POISON);
        listeners.releaseAll();
    }

    private void deliverLoop() {
        while (true) {
            Message message = queue.poll();
            if (message == null) {
                listeners.flushHeld(); // nothing more in hand: what the messages so far queued leaves now
                try {
                    message = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (message == POISON || closed) {
                return;
            }
            try {
                listeners.dispatchHeld(message.channel, message.payload);
            } catch (RuntimeException e) {
                LOG.error("In-memory delivery failed on channel {}", message.channel, e);
            }
        }
    }

    private record Message(String channel, String payload) {
    }
}

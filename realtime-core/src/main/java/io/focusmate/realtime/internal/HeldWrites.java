package io.focusmate.realtime.internal;

import java.util.ArrayList;

/**
 * Writes held back on one delivering thread (the write/flush split of Netty and OkHttp). While a broker thread
 * delivers messages that it already has in hand, a frame queued for a socket that is not being written waits;
 * when the thread is about to wait for more messages it flushes, and each socket's waiting frames leave together,
 * in one write. A lone message is flushed right after its delivery, so holding never keeps a frame waiting for the
 * network; and at most {@link #MAX_MESSAGES} messages are held, so a steady stream still flushes.
 *
 * <p>Thread-confined: each delivering thread has its own, reached through {@link #ofThisThread()}.
 */
public final class HeldWrites {
    /** Messages delivered before a flush at the latest, however many more are in hand. */
    static final int MAX_MESSAGES = 32;
    private static final ThreadLocal<HeldWrites> THREAD = new ThreadLocal<>();

    /** What holds frames for one socket: its outbound queue. */
    interface Holder {
        /** The delivering thread flushes: the held frames leave now, in one write. */
        void flushHeld();
    }

    /** Owner thread only: the queues with frames held since the last flush. */
    private final ArrayList<Holder> queues = new ArrayList<>();
    /** Owner thread only: whether a delivery is under way, whose frames are held. */
    private boolean holding;
    /** Owner thread only: messages delivered since the last flush. */
    private int messages;

    private HeldWrites() {
    }

    /** This thread's held writes, created on first use. */
    public static HeldWrites ofThisThread() {
        HeldWrites held = THREAD.get();
        if (held == null) {
            held = new HeldWrites();
            THREAD.set(held);
        }
        return held;
    }

    /** This thread's held writes while it is delivering a message with {@link #deliver}, else null. */
    static HeldWrites holdingOnThisThread() {
        HeldWrites held = THREAD.get();
        return held != null && held.holding ? held : null;
    }

    /** Runs one message's delivery, holding the writes it queues; flushes after {@link #MAX_MESSAGES} of them. */
    public void deliver(Runnable delivery) {
        holding = true;
        try {
            delivery.run();
        } finally {
            holding = false;
        }
        if (++messages >= MAX_MESSAGES) {
            flush();
        }
    }

    /** Whether some frames are held: the thread should {@link #flush} before it waits. */
    public boolean isEmpty() {
        return queues.isEmpty();
    }

    /** Writes every held frame: one write per socket. */
    public void flush() {
        messages = 0;
        if (queues.isEmpty()) {
            return;
        }
        for (Holder queue : queues) {
            queue.flushHeld();
        }
        queues.clear();
    }

    /** A queue held a frame for the first time since the last flush. */
    void add(Holder queue) {
        queues.add(queue);
    }
}

package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.protocol.CloseCode;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded, FIFO queue of frames waiting for one client. One frame is in flight at a time; the next one is
 * written when the transport reports the previous one done, so a client that does not read fills this queue and not
 * the container's unbounded buffers. The limit bounds the frames <em>waiting behind</em> the one being written: a
 * client is judged by whether it keeps up, not by the size of the frame it is reading, so a prompt reader of one
 * large frame still gets the small ones published right after it. When a frame would push the waiting frames past
 * the limit, the queue refuses it and reports an overflow; the connection then closes with
 * {@link CloseCode#SLOW_CONSUMER}. A single frame larger than the limit is accepted when nothing else waits.
 *
 * <p>Thread-safe. No transport call happens while holding the lock.
 */
final class OutboundQueue {
    private final Transport transport;
    private final long maxChars;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. The head is the frame in flight while {@code writing}. */
    private final ArrayDeque<OutboundFrame> frames = new ArrayDeque<>();
    /** Guarded by {@code lock}: characters in {@code frames}, including the one in flight. */
    private long queuedChars;
    /** Guarded by {@code lock}: characters of the frame being written, or 0. */
    private long inFlightChars;
    /** Guarded by {@code lock}: queued frames that do not count toward the limit (a recovery's replay). */
    private final java.util.Set<OutboundFrame> uncounted =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Guarded by {@code lock}: a drain loop or a send is under way. */
    private boolean writing;
    /** Guarded by {@code lock}: frames are kept back until {@link #resume()}. */
    private boolean paused;
    /** Guarded by {@code lock}: close with this code once the queue is empty. */
    private CloseCode closeWhenDrained;
    /** Guarded by {@code lock}: nothing more will be sent. */
    private boolean closed;

    OutboundQueue(Transport transport, long maxChars, boolean paused) {
        this.transport = transport;
        this.maxChars = maxChars;
        this.paused = paused;
    }

    enum Offer { QUEUED, CLOSED, OVERFLOW }

    /** Queues a frame. A single frame larger than the limit is still accepted when no other frame waits. */
    Offer offer(OutboundFrame frame) {
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return Offer.CLOSED;
            }
            long waiting = queuedChars - inFlightChars;
            if (waiting > 0 && waiting + frame.length() > maxChars) {
                return Offer.OVERFLOW;
            }
            frames.add(frame);
            queuedChars += frame.length();
            if (writing || paused) {
                return Offer.QUEUED;
            }
            writing = true;
        }
        drain();
        return Offer.QUEUED;
    }

    /**
     * Queues a frame that does not count toward the limit: the replay a recovering client asked for, bounded by the
     * history it comes from. Only while the queue is held back (see {@link #resume()}).
     */
    void offerUncounted(OutboundFrame frame) {
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            if (!paused) {
                throw new IllegalStateException("offerUncounted needs a held-back queue");
            }
            frames.add(frame);
            uncounted.add(frame);
        }
    }

    /**
     * Puts a frame at the head of a queue that is still held back (see {@link #resume()}), ahead of anything queued
     * earlier: the greeting of an endpoint goes first even when replies to early frames were queued before it.
     */
    void offerFirst(OutboundFrame frame) {
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            if (!paused) {
                throw new IllegalStateException("offerFirst needs a held-back queue");
            }
            frames.addFirst(frame);
            queuedChars += frame.length();
        }
    }

    /** Lets kept-back frames flow. */
    void resume() {
        synchronized (lock) {
            paused = false;
            if (writing || closed || (frames.isEmpty() && closeWhenDrained == null)) {
                return;
            }
            writing = true;
        }
        drain();
    }

    /** Accepts no more frames, writes the queued ones, then closes the transport. */
    void closeWhenDrained(CloseCode code) {
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            closeWhenDrained = code;
            paused = false;
            if (writing) {
                return;
            }
            writing = true;
        }
        drain();
    }

    /** Drops the queued frames and closes the transport now. Returns false when already closed. */
    boolean closeNow(CloseCode code) {
        if (!markClosed()) {
            return false;
        }
        transport.close(code.code(), code.reason());
        return true;
    }

    /** The socket is gone: drop everything. Returns false when already closed. */
    boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            frames.clear();
            uncounted.clear();
            queuedChars = 0;
            inFlightChars = 0;
            return true;
        }
    }

    long queuedChars() {
        synchronized (lock) {
            return queuedChars;
        }
    }

    private void drain() {
        while (true) {
            OutboundFrame next;
            CloseCode closing = null;
            synchronized (lock) {
                next = closed ? null : frames.peek();
                inFlightChars = next == null || uncounted.contains(next) ? 0 : next.length();
                if (next == null) {
                    writing = false;
                    if (closed || closeWhenDrained == null) {
                        return;
                    }
                    closed = true;
                    closing = closeWhenDrained;
                }
            }
            if (closing != null) {
                transport.close(closing.code(), closing.reason());
                return;
            }
            // Whichever of this loop and the callback finishes second carries on; a transport that completes
            // synchronously therefore loops here instead of recursing.
            AtomicInteger handoff = new AtomicInteger();
            OutboundFrame sent = next;
            transport.send(sent, failure -> {
                if (!onSent(sent, failure)) {
                    return;
                }
                if (handoff.incrementAndGet() == 2) {
                    drain();
                }
            });
            if (handoff.incrementAndGet() == 1) {
                return;
            }
        }
    }

    /** Removes the written frame; returns whether draining should go on. */
    private boolean onSent(OutboundFrame frame, Throwable failure) {
        synchronized (lock) {
            if (closed) {
                writing = false;
                return false;
            }
            if (failure == null) {
                frames.poll();
                if (!uncounted.remove(frame)) {
                    queuedChars -= frame.length();
                }
                inFlightChars = 0;
                return true;
            }
        }
        closeNow(CloseCode.INTERNAL_ERROR);
        return false;
    }
}

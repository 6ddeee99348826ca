package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.protocol.CloseCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded, FIFO queue of frames waiting for one client. One write is in flight at a time: the frames waiting
 * when it starts (up to {@link #MAX_BATCH_FRAMES}) leave together, in one {@link Transport#sendAll}; the next write
 * starts when the transport reports the previous one done, so a client that does not read fills this queue and not
 * the container's unbounded buffers. The limit bounds the frames <em>waiting behind</em> the one being written: a
 * client is judged by whether it keeps up, not by the size of the frame it is reading, so a prompt reader of one
 * large frame still gets the small ones published right after it. When a frame would push the waiting frames past
 * the limit, the queue refuses it and reports an overflow; the connection then closes with
 * {@link CloseCode#SLOW_CONSUMER}. A single frame larger than the limit is accepted when nothing else waits.
 *
 * <p>A frame offered by a thread that is delivering a broker message with {@link HeldWrites} does not start a write:
 * it waits for that thread's flush, so that the frames of the messages the thread has in hand leave in one write.
 *
 * <p>Thread-safe. No transport call happens while holding the lock.
 */
final class OutboundQueue implements HeldWrites.Holder {
    /** Frames in one write at most. */
    static final int MAX_BATCH_FRAMES = 64;
    /** Characters in one write at most (a single larger frame still goes, alone). */
    static final long MAX_BATCH_CHARS = 64 * 1024;

    private final Transport transport;
    private final long maxChars;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. The head is the frame in flight while {@code writing}. */
    private final ArrayDeque<OutboundFrame> frames = new ArrayDeque<>(4); // grows when frames wait; most never do
    /** Guarded by {@code lock}: characters in {@code frames}, including the one in flight. */
    private long queuedChars;
    /** Guarded by {@code lock}: characters of the frames being written that count toward the limit, or 0. */
    private long inFlightChars;
    /**
     * Guarded by {@code lock}: queued frames that do not count toward the limit (a recovery's replay); null until the
     * first, as most connections never have one (an empty identity set costs about 600 bytes).
     */
    private java.util.Set<OutboundFrame> uncounted;
    /** Guarded by {@code lock}: a drain loop or a send is under way. */
    private boolean writing;
    /** Guarded by {@code lock}: frames are kept back until {@link #resume()}. */
    private boolean paused;
    /** Guarded by {@code lock}: close with this code once the queue is empty. */
    private CloseCode closeWhenDrained;
    /** Guarded by {@code lock}: nothing more will be sent. */
    private boolean closed;
    /** Guarded by {@code lock}: frames wait for the flush of a delivering thread's {@link HeldWrites}. */
    private boolean held;

    OutboundQueue(Transport transport, long maxChars, boolean paused) {
        this.transport = transport;
        this.maxChars = maxChars;
        this.paused = paused;
    }

    enum Offer { QUEUED, CLOSED, OVERFLOW }

    /** Queues a frame. A single frame larger than the limit is still accepted when no other frame waits. */
    Offer offer(OutboundFrame frame) {
        HeldWrites holder = HeldWrites.holdingOnThisThread();
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return Offer.CLOSED;
            }
            // A held head frame is the next write, as good as in flight: it does not count as waiting either.
            long waiting = queuedChars - inFlightChars - (held && !writing ? counted(frames.peek()) : 0);
            if (waiting > 0 && waiting + frame.length() > maxChars) {
                return Offer.OVERFLOW;
            }
            frames.add(frame);
            queuedChars += frame.length();
            if (writing || paused) {
                return Offer.QUEUED;
            }
            if (holder != null) {
                if (!held) {
                    held = true;
                    holder.add(this);
                }
                return Offer.QUEUED;
            }
            writing = true;
        }
        drain();
        return Offer.QUEUED;
    }

    /** The delivering thread that held this queue's frames flushes: they leave now, unless a write is under way. */
    @Override
    public void flushHeld() {
        synchronized (lock) {
            held = false;
            if (writing || paused || closed || frames.isEmpty()) {
                return;
            }
            writing = true;
        }
        drain();
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
            if (uncounted == null) {
                uncounted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            }
            uncounted.add(frame);
        }
    }

    /**
     * Puts a frame at the head of a queue that is still held back (see {@link #resume()}), ahead of anything queued
     * earlier: the greeting of an endpoint goes first even when replies to early frames were queued before it.
     * Returns false when the queue is closing and the frame was dropped.
     */
    boolean offerFirst(OutboundFrame frame) {
        synchronized (lock) {
            if (closed || closeWhenDrained != null) {
                return false;
            }
            if (!paused) {
                throw new IllegalStateException("offerFirst needs a held-back queue");
            }
            frames.addFirst(frame);
            queuedChars += frame.length();
            return true;
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
            uncounted = null;
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
            List<OutboundFrame> next;
            CloseCode closing = null;
            synchronized (lock) {
                next = closed ? List.of() : nextBatch();
                if (next.isEmpty()) {
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
            List<OutboundFrame> sent = next;
            Transport.SendCallback done = failure -> {
                if (!onSent(sent, failure)) {
                    return;
                }
                if (handoff.incrementAndGet() == 2) {
                    drain();
                }
            };
            if (sent.size() == 1) {
                transport.send(sent.get(0), done);
            } else {
                transport.sendAll(sent, done);
            }
            if (handoff.incrementAndGet() == 1) {
                return;
            }
        }
    }

    /**
     * The frames of the next write, from the head: as many as wait, up to {@link #MAX_BATCH_FRAMES} and
     * {@link #MAX_BATCH_CHARS}; sets {@code inFlightChars}. Called holding {@code lock}.
     */
    private List<OutboundFrame> nextBatch() {
        OutboundFrame head = frames.peek();
        if (head == null || frames.size() == 1) {
            inFlightChars = counted(head);
            return head == null ? List.of() : List.of(head);
        }
        List<OutboundFrame> batch = new ArrayList<>(Math.min(frames.size(), MAX_BATCH_FRAMES));
        long chars = 0;
        long countedChars = 0;
        for (OutboundFrame frame : frames) {
            if (!batch.isEmpty() && (batch.size() == MAX_BATCH_FRAMES || chars + frame.length() > MAX_BATCH_CHARS)) {
                break;
            }
            batch.add(frame);
            chars += frame.length();
            countedChars += counted(frame);
        }
        inFlightChars = countedChars;
        return batch;
    }

    /** The characters of a queued frame that count toward the limit. Called holding {@code lock}. */
    private long counted(OutboundFrame frame) {
        return frame == null || uncounted != null && uncounted.contains(frame) ? 0 : frame.length();
    }

    /** Removes the written frames; returns whether draining should go on. */
    private boolean onSent(List<OutboundFrame> written, Throwable failure) {
        synchronized (lock) {
            if (closed) {
                writing = false;
                return false;
            }
            if (failure == null) {
                for (OutboundFrame frame : written) {
                    frames.poll();
                    if (uncounted == null || !uncounted.remove(frame)) {
                        queuedChars -= frame.length();
                    }
                }
                if (uncounted != null && uncounted.isEmpty()) {
                    uncounted = null; // the replay is written: let its set go
                }
                inFlightChars = 0;
                return true;
            }
        }
        closeNow(CloseCode.INTERNAL_ERROR);
        return false;
    }
}

package io.focusmate.realtime.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * Many WebSocket clients in one process: raw non-blocking sockets ({@link RawClient}) on one selector thread, which
 * reads every frame from its bytes without a WebSocket library. The load generator shares a core with Redis, so its
 * own cost per delivery is latency charged to the server: the JDK's WebSocket client (a selector thread, an executor
 * hop, a {@code CharSequence} decoded per message) cost several times this. Each client waits for its greeting frame
 * (the first text frame; an error frame is a failure), then records every {@code bench} frame: its latency from the
 * nanosecond stamp the publisher put in it (the intended send time), and a delivery count. The counters are
 * thread-safe; {@link #open} is called by one thread at a time.
 */
final class Fleet implements AutoCloseable, RawClient.Listener {
    private static final byte[] ERROR = Bytes.ascii("{\"type\":\"error\"");

    /** Latency in microseconds, recorded by the selector thread. */
    final Recorder latencyMicros = new Recorder(3);
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong greeted = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    /** Bench frames that arrived with a sequence number not above the client's previous one (per-channel order). */
    final AtomicLong outOfOrder = new AtomicLong();
    /** With BENCH_TIMELINE set: the worst latency (µs) per 100 ms of intended send time after {@link #timelineFrom}. */
    final AtomicLongArray worstPerTick = new AtomicLongArray(1200);
    /** Set by the measuring thread before the measured phase: the nanoTime that tick 0 starts at, or 0 for none. */
    volatile long timelineFrom;

    private final Selector selector;
    /** Clients opened by {@link #open}, registered by the selector thread. */
    private final ConcurrentLinkedQueue<RawClient> joining = new ConcurrentLinkedQueue<>();
    /** Released when a client settles (greeted or failed): bounds the handshakes in flight. */
    private final Semaphore handshakes = new Semaphore(0);
    private final Thread reader;
    /** Set by {@link #close}: the selector thread stops. */
    private volatile boolean closed;

    Fleet() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = new Thread(this::loop, "fleet-selector");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens {@code count} clients, at most {@code parallel} handshakes at a time; {@code url} gives client i's URL.
     * Returns when every client got its greeting or failed, or at the timeout (the unsettled ones count as failures).
     */
    void open(int count, int parallel, IntFunction<String> url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long before = greeted.get() + failures.get();
        handshakes.release(parallel);
        for (int i = 0; i < count; i++) {
            if (!handshakes.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                failures.addAndGet(count - i);
                break;
            }
            URI uri = URI.create(url.apply(i));
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                joining.add(new RawClient(channel, uri, this));
                selector.wakeup();
            } catch (IOException e) {
                failures.incrementAndGet();
                handshakes.release();
            }
        }
        while (greeted.get() + failures.get() - before < count && System.nanoTime() < deadline) {
            Thread.sleep(5); // waiting for the last greetings, with a deadline
        }
        long unsettled = count - (greeted.get() + failures.get() - before);
        if (unsettled > 0) {
            failures.addAndGet(unsettled);
        }
        handshakes.drainPermits();
    }

    /** The selector thread: registers new clients and serves every ready socket. */
    private void loop() {
        while (!closed) {
            try {
                selector.select(100);
                for (RawClient client; (client = joining.poll()) != null; ) {
                    client.channel.register(selector, SelectionKey.OP_CONNECT, client);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    serve(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("fleet: " + e);
                }
            }
        }
    }

    private void serve(SelectionKey key) {
        RawClient client = (RawClient) key.attachment();
        boolean open;
        try {
            if (key.isConnectable()) {
                client.channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) { // connected: the request goes first
                if (client.writeRequest()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            open = client.read();
        } catch (IOException e) {
            open = false;
        }
        if (!open) {
            key.cancel();
            try {
                client.channel.close();
            } catch (IOException ignored) {
                // closing a dead socket
            }
            if (!client.settled) {
                settle(client, false);
            }
        }
    }

    private void settle(RawClient client, boolean ok) {
        client.settled = true;
        (ok ? greeted : failures).incrementAndGet();
        handshakes.release();
    }

    @Override
    public void onText(RawClient client, byte[] bytes, int offset, int length) {
        long stamp = BenchFrame.stamp(bytes, offset, length);
        if (stamp > 0) {
            long micros = Math.max(0, (System.nanoTime() - stamp) / 1_000);
            latencyMicros.recordValue(micros);
            long from = timelineFrom;
            long tick = (stamp - from) / 100_000_000L;
            if (from > 0 && stamp >= from && tick < worstPerTick.length()) {
                worstPerTick.accumulateAndGet((int) tick, micros, Math::max);
            }
            long seq = BenchFrame.seq(bytes, offset, length);
            if (seq <= client.lastSeq) {
                outOfOrder.incrementAndGet();
            }
            client.lastSeq = seq;
            deliveries.incrementAndGet();
        } else if (!client.settled) {
            settle(client, !Bytes.startsWith(bytes, offset, length, ERROR));
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            reader.join(5_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            // the process is ending
        }
    }
}

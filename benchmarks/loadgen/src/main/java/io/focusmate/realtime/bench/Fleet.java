package io.focusmate.realtime.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * Many WebSocket clients in one process, on one shared JDK {@link HttpClient} (a few threads, however many sockets).
 * Each client waits for its greeting frame, then records every {@code bench} frame: its latency from the nanosecond
 * stamp the publisher put in it (the intended send time), and a delivery count. Thread-safe.
 */
final class Fleet implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    /** Latency in microseconds, recorded concurrently by the client threads. */
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

    /**
     * Opens {@code count} clients, at most {@code parallel} handshakes at a time; {@code url} gives client i's URL.
     * Returns when every client got its greeting (or failed).
     */
    void open(int count, int parallel, IntFunction<String> url, Duration timeout) throws InterruptedException {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Void>> greetings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Void> greeting = connect(url.apply(i));
            greetings.add(greeting);
            greeting.whenComplete((ok, e) -> inFlight.release());
        }
        awaitAll(greetings, timeout);
    }

    /** Waits for every greeting; those still pending at the deadline count as failures. */
    void awaitAll(List<CompletableFuture<Void>> greetings, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<Void> greeting : greetings) {
            try {
                greeting.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // counted in failures already
            } catch (java.util.concurrent.TimeoutException e) {
                fail(greeting, e);
            }
        }
    }

    /**
     * Opens one client; the future completes when its greeting arrives, or exceptionally when the handshake fails or
     * the server closes first (each such client is also counted in {@link #failures}).
     */
    CompletableFuture<Void> connect(String url) {
        CompletableFuture<Void> greeting = new CompletableFuture<>();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(url), new Client(greeting))
                .whenComplete((socket, failure) -> {
                    if (failure != null) {
                        fail(greeting, failure);
                    } else {
                        synchronized (sockets) {
                            sockets.add(socket);
                        }
                    }
                });
        return greeting;
    }

    private void fail(CompletableFuture<Void> greeting, Throwable cause) {
        if (greeting.completeExceptionally(cause)) {
            failures.incrementAndGet();
        }
    }

    int size() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    @Override
    public void close() {
        synchronized (sockets) {
            for (WebSocket socket : sockets) {
                socket.abort();
            }
            sockets.clear();
        }
    }

    /** One client: greets once, then counts bench frames. */
    private final class Client implements WebSocket.Listener {
        private final CompletableFuture<Void> greeting;
        private final StringBuilder partial = new StringBuilder();
        /** This client's listener thread only (one callback at a time): the last bench sequence number seen. */
        private long lastSeq = -1;

        Client(CompletableFuture<Void> greeting) {
            this.greeting = greeting;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                socket.request(1);
                return null;
            }
            CharSequence frame = data;
            if (partial.length() > 0) {
                frame = partial.append(data).toString();
                partial.setLength(0);
            }
            long stamp = BenchFrame.stamp(frame);
            if (stamp > 0) {
                long micros = Math.max(0, (System.nanoTime() - stamp) / 1_000);
                latencyMicros.recordValue(micros);
                long from = timelineFrom;
                long tick = (stamp - from) / 100_000_000L;
                if (from > 0 && stamp >= from && tick < worstPerTick.length()) {
                    worstPerTick.accumulateAndGet((int) tick, micros, Math::max);
                }
                long seq = BenchFrame.seq(frame.toString());
                if (seq <= lastSeq) {
                    outOfOrder.incrementAndGet();
                }
                lastSeq = seq;
                deliveries.incrementAndGet();
            } else if (!greeting.isDone()) {
                greeted.incrementAndGet();
                greeting.complete(null);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            fail(greeting, new IllegalStateException("closed before the greeting: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            fail(greeting, error);
        }
    }
}

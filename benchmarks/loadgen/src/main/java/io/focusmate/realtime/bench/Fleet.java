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

    /**
     * Opens {@code count} clients, at most {@code parallel} handshakes at a time; {@code url} gives client i's URL.
     * Returns when every client got its greeting (or failed).
     */
    void open(int count, int parallel, IntFunction<String> url, Duration timeout) throws InterruptedException {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Void>> greetings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Void> greeting = new CompletableFuture<>();
            greetings.add(greeting);
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(url.apply(i)), new Client(greeting))
                    .whenComplete((socket, failure) -> {
                        if (failure != null) {
                            failures.incrementAndGet();
                            greeting.complete(null);
                        } else {
                            synchronized (sockets) {
                                sockets.add(socket);
                            }
                        }
                    });
            greeting.whenComplete((ok, e) -> inFlight.release());
        }
        try {
            CompletableFuture.allOf(greetings.toArray(new CompletableFuture[0]))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            failures.addAndGet(greetings.stream().filter(g -> !g.isDone()).count());
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
            if (!greeting.isDone()) {
                failures.incrementAndGet();
                greeting.complete(null);
            }
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (!greeting.isDone()) {
                failures.incrementAndGet();
                greeting.complete(null);
            }
        }
    }
}

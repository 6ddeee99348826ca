package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.client.ClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * What the connections of one client share: its single event thread, its HTTP client, where to connect, where
 * tokens come from, its options and its random source. Immutable; thread-safe.
 *
 * @param events the client's one event thread: every connection's state and every listener call live on it
 * @param http the JDK HTTP client that opens the sockets
 * @param baseUrls the base URL ({@code ws://host:port}) for the next attempt, called once per attempt
 * @param tokens a fresh token, called for every connect and every refresh
 * @param options the options
 * @param random values in {@code [0, 1)} for the jitter
 */
public record ClientContext(ScheduledExecutorService events, HttpClient http, Supplier<String> baseUrls,
                            Supplier<? extends CompletionStage<String>> tokens, ClientOptions options,
                            DoubleSupplier random) {
    /** One mapper for the client, thread-safe once configured. */
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The URL of the next attempt: the next base URL, {@code path}, and the query made of the token (unless it goes in
     * the header) and {@code query} (without {@code ?}; may be empty).
     */
    URI uri(String path, String query, String token) {
        String tokenQuery = options.tokenInHeader() ? "" : "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String all = tokenQuery.isEmpty() || query.isEmpty() ? tokenQuery + query : tokenQuery + "&" + query;
        return URI.create(baseUrls.get() + path + (all.isEmpty() ? "" : "?" + all));
    }

    /** Runs {@code task} on the event thread; dropped once the client is closed. */
    public void post(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException closed) {
            // the client is closed: nothing is delivered any more
        }
    }

    /** Runs {@code task} on the event thread after {@code delay}; {@code null} once the client is closed. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return events.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    /** Runs {@code task} on the event thread every {@code period}; {@code null} once the client is closed. */
    ScheduledFuture<?> every(Runnable task, Duration period) {
        try {
            return events.scheduleWithFixedDelay(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }
}

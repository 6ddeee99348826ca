package io.focusmate.realtime.client;

import io.focusmate.realtime.client.internal.ClientContext;
import io.focusmate.realtime.client.internal.NotificationsSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client of one gateway (one deployment, behind one or more base URLs). Open endpoint connections from it, such as
 * {@link #notifications(NotificationsListener)}; close it to close them all.
 *
 * <pre>{@code
 * RealtimeClient client = RealtimeClient.builder()
 *         .baseUrl("wss://realtime.example.com")
 *         .tokens(() -> auth.fetchTokenAsync())        // called for every connect and every refresh
 *         .build();
 * NotificationsConnection notifications = client.notifications(new NotificationsListener() {
 *     public void onFrame(Frame frame) { ... }
 *     public void onGap(String channel) { ... reload from the backend ... }
 * });
 * }</pre>
 *
 * <p><b>Threading.</b> Thread-safe, and no method blocks: connecting, reading and reconnecting happen in the
 * background. Each client has one event thread ({@code realtime-client-N}, a daemon) on which all its listeners are
 * called, in order.
 */
public final class RealtimeClient implements AutoCloseable {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ClientContext context;
    private final Positions positions;
    /** Guarded by {@code this}: the connections opened by this client, to close with it. */
    private final List<NotificationsConnection> connections = new ArrayList<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    private RealtimeClient(Builder builder) {
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "realtime-client-" + CLIENTS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        events.setRemoveOnCancelPolicy(true);
        events.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        events.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        HttpClient http = HttpClient.newBuilder().connectTimeout(builder.options.connectTimeout()).build();
        this.context = new ClientContext(events, http, builder.baseUrls, builder.tokens, builder.options,
                () -> ThreadLocalRandom.current().nextDouble());
        this.positions = builder.positions;
    }

    /** A builder; {@link Builder#baseUrl} and {@link Builder#tokens} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a notifications connection ({@code /api/v1/notifications/ws}) that starts at once, from the builder's
     * positions. Each call opens one more socket (each counts against the gateway's per-user connection limit).
     *
     * @throws IllegalStateException when the client is closed
     */
    public NotificationsConnection notifications(NotificationsListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            NotificationsConnection connection = new NotificationsSession(context, listener, positions);
            connections.add(connection);
            return connection;
        }
    }

    /** Closes every connection (each reports {@link ConnectionState#STOPPED}), then the event thread. Idempotent. */
    @Override
    public void close() {
        List<NotificationsConnection> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(connections);
        }
        open.forEach(NotificationsConnection::close);
        context.events().shutdown(); // after the close tasks queued above have run
    }

    /** Builds a {@link RealtimeClient}. Not thread-safe: confine it to the thread that builds. */
    public static final class Builder {
        /** Building thread only. */
        private Supplier<String> baseUrls;
        /** Building thread only. */
        private Supplier<? extends CompletionStage<String>> tokens;
        /** Building thread only. */
        private ClientOptions options = ClientOptions.defaults();
        /** Building thread only. */
        private Positions positions = Positions.none();

        private Builder() {
        }

        /** The gateway's base URL, {@code ws://host:port} or {@code wss://host}; paths are added by the client. */
        public Builder baseUrl(String baseUrl) {
            String checked = check(baseUrl);
            this.baseUrls = () -> checked;
            return this;
        }

        /** Several base URLs of one deployment (instances), tried in turn: each attempt takes the next one. */
        public Builder baseUrls(List<String> baseUrls) {
            List<String> checked = baseUrls.stream().map(Builder::check).toList();
            if (checked.isEmpty()) {
                throw new IllegalArgumentException("at least one base URL");
            }
            AtomicInteger next = new AtomicInteger();
            this.baseUrls = () -> checked.get(Math.floorMod(next.getAndIncrement(), checked.size()));
            return this;
        }

        /** The base URL from {@code supplier}, called once per attempt (service discovery, failover). */
        public Builder baseUrl(Supplier<String> supplier) {
            Objects.requireNonNull(supplier, "supplier");
            this.baseUrls = () -> check(supplier.get());
            return this;
        }

        /**
         * Where tokens come from: called (on the client's event thread; do not block, complete later) for every
         * connect and every in-band refresh. A token that fails or is {@code null} counts as a failed attempt.
         */
        public Builder tokens(Supplier<? extends CompletionStage<String>> tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** The options; {@link ClientOptions#defaults()} when not set. */
        public Builder options(ClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Positions saved from an earlier run ({@link NotificationsConnection#positions()}); none by default. */
        public Builder positions(Positions positions) {
            this.positions = Objects.requireNonNull(positions, "positions");
            return this;
        }

        /** The client, with nothing connected yet. */
        public RealtimeClient build() {
            if (baseUrls == null) {
                throw new IllegalStateException("a base URL is required: baseUrl(\"ws://host:port\")");
            }
            if (tokens == null) {
                throw new IllegalStateException("a token supplier is required: tokens(() -> ...)");
            }
            return new RealtimeClient(this);
        }

        private static String check(String baseUrl) {
            URI uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("a base URL is ws://host:port or wss://host: " + baseUrl);
            }
            return baseUrl.replaceAll("/+$", "");
        }
    }
}

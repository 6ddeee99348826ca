package io.focusmate.realtime.client;

import io.focusmate.realtime.client.internal.ChatSession;
import io.focusmate.realtime.client.internal.ClientContext;
import io.focusmate.realtime.client.internal.NotificationsSession;
import io.focusmate.realtime.client.internal.RoomSession;
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
import java.util.regex.Pattern;

/**
 * A client of one gateway (one deployment, behind one or more base URLs). Open endpoint connections from it
 * ({@link #notifications}, {@link #room}, {@link #chat}); close it to close them all.
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
    private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final ClientContext context;
    private final Positions positions;
    /** Guarded by {@code this}: the connections opened by this client, to close with it. */
    private final List<Connection> connections = new ArrayList<>();
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
        return open(() -> new NotificationsSession(context, listener, positions));
    }

    /**
     * Opens a connection to room {@code roomId} ({@code /ws/room/{room_id}}) that starts at once.
     *
     * @throws IllegalArgumentException when {@code roomId} is not 1 to 128 of {@code A-Z a-z 0-9 _ . -}
     * @throws IllegalStateException when the client is closed
     */
    public RoomConnection room(String roomId, RoomListener listener) {
        checkRoomId(roomId);
        Objects.requireNonNull(listener, "listener");
        return open(() -> new RoomSession(context, roomId, listener));
    }

    /**
     * Opens a connection to chat room {@code roomId} ({@code /api/v1/matching/chat/{room_id}/ws}) that starts at once
     * with {@code last_message_id=0}: the room's newest messages (at most 100) come first.
     *
     * @throws IllegalArgumentException when {@code roomId} is not 1 to 128 of {@code A-Z a-z 0-9 _ . -}
     * @throws IllegalStateException when the client is closed
     */
    public ChatConnection chat(String roomId, ChatListener listener) {
        return chat(roomId, 0, listener);
    }

    /**
     * Opens a connection to chat room {@code roomId} that resumes after {@code lastMessageId} (saved from
     * {@link ChatConnection#lastMessageId()} by an earlier run): only the messages after it are delivered.
     *
     * @throws IllegalArgumentException when {@code roomId} is not valid or {@code lastMessageId} is negative
     * @throws IllegalStateException when the client is closed
     */
    public ChatConnection chat(String roomId, long lastMessageId, ChatListener listener) {
        checkRoomId(roomId);
        if (lastMessageId < 0) {
            throw new IllegalArgumentException("lastMessageId is 0 or more: " + lastMessageId);
        }
        Objects.requireNonNull(listener, "listener");
        return open(() -> new ChatSession(context, roomId, lastMessageId, listener));
    }

    /** {@link Connection#reconnectNow()} on every connection, for example when the network is back. */
    public void reconnectNow() {
        List<Connection> open;
        synchronized (this) {
            open = List.copyOf(connections);
        }
        open.forEach(Connection::reconnectNow);
    }

    private <C extends Connection> C open(Supplier<C> opener) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            connections.removeIf(c -> c.state() == ConnectionState.STOPPED); // closed ones are not kept
            C connection = opener.get();
            connections.add(connection);
            return connection;
        }
    }

    private static void checkRoomId(String roomId) {
        if (roomId == null || !ROOM_ID.matcher(roomId).matches()) {
            throw new IllegalArgumentException("a room id is 1 to 128 of A-Z a-z 0-9 _ . -: " + roomId);
        }
    }

    /** Closes every connection (each reports {@link ConnectionState#STOPPED}), then the event thread. Idempotent. */
    @Override
    public void close() {
        List<Connection> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(connections);
        }
        open.forEach(Connection::close);
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

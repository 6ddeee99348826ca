package io.focusmate.realtime.launcher.server;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * Closes a connection that is not a WebSocket after {@code timeout} without a byte: a half-sent request (which
 * Grizzly otherwise keeps for ever, so that a few thousand of them exhaust the open files), or an idle HTTP
 * keep-alive. A WebSocket is exempt from the moment its handshake is answered: the gateway's heartbeat and idle
 * timeout watch it. It replaces the HTTP server's idle filter, in the same place in the chain (after the HTTP codec:
 * a read reaches it once a request, or a part of its body, is complete).
 *
 * <p>Only connections that are not WebSockets are watched, so a check costs nothing per WebSocket (Grizzly's idle
 * filter walked every connection at every check). A request being handled is not timed: its clock starts again when
 * the handling ends. The check runs once a second: a timeout of n seconds closes within n to n + 1.
 *
 * <p>Owns one daemon thread, {@code realtime-handshake-timeout}, until {@link #close()}.
 */
final class HandshakeTimeoutAddOn implements AddOn, AutoCloseable {
    /** The activity time of a connection whose request is being handled: never timed out. */
    private static final long HANDLING = Long.MAX_VALUE;

    private final long timeoutNanos;
    /**
     * Any thread: each watched connection (not a WebSocket, not closed) and the System.nanoTime of its last
     * activity, or {@link #HANDLING}.
     */
    private final Map<Connection<?>, Long> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread daemon = new Thread(r, "realtime-handshake-timeout");
        daemon.setDaemon(true);
        return daemon;
    });

    HandshakeTimeoutAddOn(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        thread.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        Watch filter = new Watch();
        int index = builder.indexOfType(IdleTimeoutFilter.class);
        if (index >= 0) {
            builder.set(index, filter);
        } else {
            builder.add(filter);
        }
    }

    /** Closes the watched connections quiet for the timeout. */
    private void check() {
        long now = System.nanoTime();
        watched.forEach((connection, since) -> {
            if (since != HANDLING && now - since >= timeoutNanos && watched.remove(connection, since)) {
                connection.closeSilently();
            }
        });
    }

    /** Watched connections, for tests: the ones not yet upgraded or closed. */
    int watchedCount() {
        return watched.size();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Keeps {@link #watched} up to date from the connections' events. */
    private final class Watch extends BaseFilter {
        @Override
        public NextAction handleAccept(FilterChainContext ctx) throws IOException {
            watched.put(ctx.getConnection(), System.nanoTime());
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            if (watched.replace(connection, HANDLING) != null) {
                // once handled: a connection upgraded meanwhile leaves the watch, any other starts its clock again
                ctx.addCompletionListener(done -> {
                    if (WebSocketUpgradeAddOn.SOCKET.isSet(connection)) {
                        watched.remove(connection);
                    } else {
                        watched.replace(connection, System.nanoTime());
                    }
                });
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            watched.computeIfPresent(connection, (c, since) -> since == HANDLING ? since : System.nanoTime());
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleClose(FilterChainContext ctx) throws IOException {
            watched.remove(ctx.getConnection());
            return ctx.getInvokeAction();
        }
    }
}

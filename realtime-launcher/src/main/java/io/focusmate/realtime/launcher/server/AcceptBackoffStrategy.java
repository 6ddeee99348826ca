package io.focusmate.realtime.launcher.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Context;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.IOEventLifeCycleListener;
import org.glassfish.grizzly.IOStrategy;
import org.glassfish.grizzly.strategies.AbstractIOStrategy;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grizzly's worker-thread I/O strategy, except that a failed accept backs off instead of spinning.
 *
 * <p>At the open-file limit {@code accept} fails with EMFILE ("Too many open files"). Grizzly's acceptor drops that
 * exception without a word and leaves the listening socket's interest in accepts on, so the selector wakes at once
 * for the same pending connection, for ever: one core at 100%, and nothing in the log. Here a failed accept turns
 * that interest off for {@link #BACKOFF_MILLIS} and logs one line at most once a second saying what to fix. The open
 * connections are served meanwhile, and new ones wait in the kernel's backlog until descriptors free up (as
 * HANDSHAKE_TIMEOUT closes half-sent requests).
 *
 * <p>Owns one daemon thread, {@code realtime-accept-backoff}, until {@link #close()}.
 */
final class AcceptBackoffStrategy extends AbstractIOStrategy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptBackoffStrategy.class);
    /** How long accepting pauses after a failed accept. */
    static final long BACKOFF_MILLIS = 100;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final IOStrategy delegate = WorkerThreadIOStrategy.getInstance();
    private final ScheduledExecutorService timer;
    private final IOEventLifeCycleListener acceptFailures = new IOEventLifeCycleListener.Adapter() {
        @Override
        public void onError(Context context, Object error) {
            backOff(context.getConnection(), error);
        }
    };
    /** The process's open-file limit, read at start (reading it later could need a descriptor); -1 if unknown. */
    private final long maxOpenFiles = maxOpenFiles();
    /** When the last line was logged ({@link System#nanoTime()}), 0 before the first; guarded by {@code this}. */
    private long lastLogged;
    /** Failed accepts since the last line; guarded by {@code this}. */
    private int failedSinceLogged;

    AcceptBackoffStrategy() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread daemon = new Thread(r, "realtime-accept-backoff");
            daemon.setDaemon(true);
            return daemon;
        });
        executor.prestartAllCoreThreads(); // no thread to start at the limit
        this.timer = executor;
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent ioEvent, boolean isIoEventEnabled)
            throws IOException {
        if (ioEvent != IOEvent.SERVER_ACCEPT) {
            return delegate.executeIoEvent(connection, ioEvent, isIoEventEnabled);
        }
        // As Grizzly's strategy runs an accept (on the selector thread), with a listener that hears its failure.
        try {
            connection.getTransport().fireIOEvent(ioEvent, connection, acceptFailures);
        } catch (RuntimeException e) {
            backOff(connection, e);
        }
        return true;
    }

    /** Stops accepting on this listening connection for a while, and says why (at most once a second). */
    private void backOff(Connection<?> listening, Object error) {
        try {
            listening.disableIOEvent(IOEvent.SERVER_ACCEPT);
            timer.schedule(() -> resume(listening), BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException | RejectedExecutionException e) {
            return; // the server is closing
        }
        String reason = error instanceof Throwable t ? String.valueOf(t.getMessage()) : String.valueOf(error);
        int failed;
        synchronized (this) {
            failedSinceLogged++;
            long now = System.nanoTime();
            if (lastLogged != 0 && now - lastLogged < LOG_INTERVAL_NANOS) {
                return;
            }
            lastLogged = now;
            failed = failedSinceLogged;
            failedSinceLogged = 0;
        }
        log(reason, failed);
    }

    private void log(String reason, int failed) {
        if (reason.contains("in system")) {
            LOG.warn("System-wide open-file limit reached ({}): new connections wait while the open ones are served; "
                    + "raise fs.file-max or stop what holds the files ({} accept(s) refused since the last line)",
                    reason, failed);
        } else if (reason.contains("Too many open files")) {
            LOG.warn("Open-file limit reached (ulimit -n {}): new connections wait while the open ones are served; "
                    + "raise the limit (ulimit -n, systemd LimitNOFILE=, docker --ulimit nofile=) or lower "
                    + "HANDSHAKE_TIMEOUT ({} accept(s) refused since the last line)",
                    maxOpenFiles < 0 ? "unknown" : maxOpenFiles, failed);
        } else {
            LOG.warn("Accepting a connection failed ({}); retrying every {} ms ({} failure(s) since the last line)",
                    reason, BACKOFF_MILLIS, failed);
        }
    }

    private static void resume(Connection<?> listening) {
        try {
            if (listening.isOpen()) {
                listening.enableIOEvent(IOEvent.SERVER_ACCEPT);
            }
        } catch (IOException | RuntimeException e) {
            // closed meanwhile: nothing to resume
        }
    }

    private static long maxOpenFiles() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.focusmate.realtime.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs room and chat state work (store calls that may block on Redis) off the container threads. Work for one key
 * (a room) runs on one of a few single-thread stripes, in submission order; different rooms run in parallel.
 * Thread-safe.
 */
public final class StateExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(StateExecutor.class);

    private final ExecutorService[] stripes;
    private final ScheduledExecutorService timer;

    public StateExecutor(int stripeCount) {
        stripes = new ExecutorService[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            String name = "realtime-state-" + i;
            stripes[i] = Executors.newSingleThreadExecutor(r -> daemon(r, name));
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realtime-state-timer"));
    }

    /** How many stripes there are. */
    int stripeCount() {
        return stripes.length;
    }

    /** The stripe that runs the key's work: 0 to {@link #stripeCount()} - 1. */
    int stripeOf(String key) {
        return Math.floorMod(key.hashCode(), stripes.length);
    }

    /** Runs the task on the key's stripe; failures are logged, never thrown. */
    public void execute(String key, Runnable task) {
        try {
            stripes[stripeOf(key)].execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("State task for {} failed", key, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("State executor stopped; dropped a task for {}", key);
        }
    }

    /** Runs the task on the key's stripe after the delay. */
    public ScheduledFuture<?> schedule(String key, Duration delay, Runnable task) {
        return timer.schedule(() -> execute(key, task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the task every period on the timer thread, which must hand real work to {@link #execute}. */
    public void every(Duration period, Runnable task) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Periodic state task failed; it runs again", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timers, and lets queued work finish for up to two seconds. */
    public void stop() {
        timer.shutdownNow();
        for (ExecutorService stripe : stripes) {
            stripe.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ExecutorService stripe : stripes) {
            try {
                stripe.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }
}

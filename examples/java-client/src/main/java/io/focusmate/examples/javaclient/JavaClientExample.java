package io.focusmate.examples.javaclient;

import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.NotificationsListener;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.client.Stopped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints a user's notifications, one line each, and keeps doing so across gateway restarts: the client reconnects
 * with backoff and resumes from its positions, so nothing published meanwhile is lost or printed twice.
 *
 * <p>Settings (environment): {@code GATEWAY_URL} (default {@code ws://localhost:8000}) and {@code REALTIME_TOKEN}, a
 * JWT of the user. SIGTERM or Ctrl-C closes the connection and prints the positions; the process exits 1 when the
 * gateway refuses the client for good (a bad token), and 2 when a setting is missing.
 */
public final class JavaClientExample {
    private JavaClientExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        String url = System.getenv().getOrDefault("GATEWAY_URL", "ws://localhost:8000");
        String token = System.getenv("REALTIME_TOKEN");
        if (token == null || token.isBlank()) {
            System.err.println("error: set REALTIME_TOKEN to a token of the user, such as the output of "
                    + "java -jar realtime-launcher.jar token --user alice");
            System.exit(2);
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger();
        RealtimeClient client = RealtimeClient.builder()
                .baseUrl(url)
                .tokens(() -> CompletableFuture.completedFuture(token)) // a real application asks its backend
                .build();
        NotificationsConnection notifications = client.notifications(new NotificationsListener() {
            @Override
            public void onStateChanged(ConnectionState state) {
                System.out.println("state " + state);
            }

            @Override
            public void onFrame(Frame frame) {
                String position = frame.position().map(Object::toString).orElse("-");
                System.out.println(frame.type() + " " + position + " " + frame.data());
            }

            @Override
            public void onGap(String channel) {
                System.out.println("gap " + channel + ": reload it from the backend");
            }

            @Override
            public void onStopped(Stopped stopped) {
                System.out.println("stopped " + stopped.closeCode() + " " + stopped.reason()
                        + (stopped.lastError() == null ? "" : " " + stopped.lastError().code()));
                exitCode.set(stopped.closeCode() == 1000 ? 0 : 1);
                done.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("positions " + notifications.positions()); // persist them to resume the next run
            client.close();
        }));
        done.await();
        client.close();
        System.exit(exitCode.get());
    }
}

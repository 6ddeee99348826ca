package io.focusmate.examples.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An example started with its documented command, {@code java -jar target/<name>.jar}, as a child process with its
 * output (stdout and stderr) in a log file. Owned by one test thread; not thread-safe.
 */
public final class ExampleProcess implements AutoCloseable {
    /** The settings an example reads; cleared from the inherited environment, so that only the test's apply. */
    private static final List<String> SETTINGS = List.of("PORT", "JWT_SECRET_KEY", "REDIS_URL", "ALLOWED_ORIGINS");

    private final Process process;
    private final Path log;

    private ExampleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Runs {@code java -jar jar} with these environment variables added (and the example's settings not in
     * {@code environment} removed), its output going to {@code log}.
     */
    public static ExampleProcess start(Path jar, Map<String, String> environment, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it first with "
                    + "./mvnw -B package (the integration tests run after the package phase)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        SETTINGS.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ExampleProcess(builder.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("could not run java -jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the example accepts TCP connections on {@code port}; fails at once if it exits first. */
    public void awaitListening(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new AssertionError("the example exited with " + process.exitValue() + " before listening:\n"
                        + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the example did not listen on port " + port + " within "
                        + timeout.toSeconds() + " s:\n" + output());
            }
            pause();
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the example did not exit within " + timeout.toSeconds() + " s:\n"
                        + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the example to exit");
        }
    }

    /** Sends SIGTERM, as {@code kill PID} or an orchestrator does, and returns the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Everything the process has written so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process if it is still running (SIGKILL). */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // the polling interval of a deadline wait, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the example to listen");
        }
    }
}

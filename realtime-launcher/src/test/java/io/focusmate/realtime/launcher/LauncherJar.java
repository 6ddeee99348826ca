package io.focusmate.realtime.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shaded jar run with {@code java -jar} as an operator runs it, for the ITs: on 127.0.0.1, with its development
 * files under a test's own home, and none of the test machine's REDIS_URL or JWT_SECRET_KEY. Closing it kills every
 * process it started. Test thread only.
 */
final class LauncherJar implements AutoCloseable {
    static final Path JAR = Path.of("target", "realtime-launcher.jar");

    private final Path home;
    /** Test thread only: the processes to kill on close. */
    private final List<Process> processes = new ArrayList<>();

    LauncherJar(Path home) {
        this.home = home;
    }

    /** {@code java -jar realtime-launcher.jar args...}, not started. */
    ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("REDIS_URL");
        builder.environment().remove("JWT_SECRET_KEY");
        builder.environment().put("XDG_CONFIG_HOME", home.toString());
        builder.environment().put("HOST", "127.0.0.1");
        return builder;
    }

    /** Starts the server with these settings, its stdout and stderr going to {@code log}. */
    Process start(Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = command();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** A file's text, or "" while it does not exist. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}

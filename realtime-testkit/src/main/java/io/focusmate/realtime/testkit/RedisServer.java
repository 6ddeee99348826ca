package io.focusmate.realtime.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free port, for tests. Stop and restart it to simulate an outage; the
 * port stays the same. Fails with a clear message when {@code redis-server} is not installed.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    /** Options added to the command line (a cluster node's, for example). */
    private final List<String> options;
    /** Owned by the test thread. */
    private Process process;

    private RedisServer(int port, List<String> options) throws IOException {
        this.port = port;
        this.options = List.copyOf(options);
        this.dir = Files.createTempDirectory("redis-test");
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        return start(freePort(), List.of());
    }

    /** Starts a server on {@code port} with extra command-line options and waits until it answers PING. */
    static RedisServer start(int port, List<String> options) {
        try {
            RedisServer server = new RedisServer(port, options);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server: " + e.getMessage(), e);
        }
    }

    /** The executable: {@code $REDIS_SERVER}, or {@code redis-server} on the PATH. */
    static String executable() {
        return executable("REDIS_SERVER", "redis-server");
    }

    /** An executable of Redis's: the path in {@code variable}, or {@code name} on the PATH (or beside the server). */
    static String executable(String variable, String name) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String server = System.getenv("REDIS_SERVER");
        if (server != null && !server.isBlank() && new File(new File(server).getParentFile(), name).canExecute()) {
            return new File(new File(server).getParentFile(), name).getPath();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed: the Redis tests need a real Redis. Install it "
                + "(Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set "
                + variable + " to its path");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Whether the process is running (it was not stopped, and did not exit). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process (SIGKILL), as a crash would. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the process again on the same port. */
    public void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new IllegalStateException("could not restart redis-server: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one command, as redis-cli would (for example {@code PUBLISH}), and returns the reply as text: a simple
     * string, error, integer or bulk string as is, and an array as its elements, one per line.
     */
    public String command(String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            StringBuilder resp = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                resp.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream())));
        } catch (IOException e) {
            throw new IllegalStateException("redis command failed: " + e.getMessage(), e);
        }
    }

    private static String readReply(java.io.DataInputStream in) throws IOException {
        char kind = (char) in.readByte();
        String line = readLine(in);
        switch (kind) {
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return "";
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                readLine(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    all.append(i == 0 ? "" : "\n").append(readReply(in));
                }
                return all.toString();
            }
            case '-' -> {
                return "ERR " + line;
            }
            default -> {
                return line;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("connection closed mid-reply");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(executable(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at start; see " + dir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(10); // polling interval of a deadline wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("redis-server did not answer PING within 10 s");
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[7];
            int read = socket.getInputStream().read(buffer);
            return read > 0 && new String(buffer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.focusmate.realtime.launcher.cli;

import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.launcher.Launcher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code serve} (the default), {@code token}, {@code publish}, {@code migrate-to-cluster} and
 * {@code help}.
 *
 * <p>Exit codes: 0 success, 2 a bad setting or command line (one line on stderr says what to fix), 1 an
 * unexpected failure; {@code publish} adds 3 (refused by the server: a wrong key or a bad body) and 4 (not
 * published: the broker, the server or Redis is down or unreachable).
 */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        Logging.configure();
        int code = run(args, System.getenv(), System.out, System.err);
        // A stopped server returns OK while the JVM is already shutting down, where exit() would hang.
        if (code != Exit.OK) {
            System.exit(code);
        }
    }

    /** Runs a command; {@code serve} returns only when the process is asked to stop. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean generalHelp = !rest.isEmpty() && (rest.get(0).equals("--help") || rest.get(0).equals("-h"));
        String command = generalHelp ? rest.remove(0)
                : rest.isEmpty() || rest.get(0).startsWith("-") ? "serve" : rest.remove(0);
        try {
            Logging.useFormat(rest, env);
            return switch (command) {
                case "serve" -> serve(rest, env, out);
                case "token" -> token(rest, env, out, err);
                case "publish" -> PublishCommand.run(rest, env, out, err);
                case "migrate-to-cluster" -> MigrateCommand.run(rest, env, out, err);
                case "help", "--help", "-h" -> {
                    out.print(Usage.general());
                    yield Exit.OK;
                }
                default -> throw new ConfigException("unknown command \"" + command
                        + "\"; the commands are serve, token, publish, migrate-to-cluster and help (see --help)");
            };
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return Exit.USAGE;
        } catch (RuntimeException | LinkageError e) {
            err.println("error: unexpected failure: " + e + " (please report it)");
            return Exit.FAILED;
        }
    }

    private static int serve(List<String> args, Map<String, String> env, PrintStream out) throws ConfigException {
        Map<String, String> options = Options.parse(args, Usage.serveFlags());
        if (options.containsKey("--help")) {
            out.print(Usage.serve());
            return Exit.OK;
        }
        LauncherConfig configured = LauncherConfig.read(env, settings(options));
        Launcher.requirePortFree(configured);
        // With only a JWKS there is no HS256 secret at all: no development secret is generated
        String secret = configured.jwtSecret() == null && configured.jwks().url() != null ? null
                : secret(configured.jwtSecret(), env, true);
        LauncherConfig config = !configured.production() && configured.apiKey() == null
                ? configured.withApiKey(devApiKey(env, configured.port())) : configured;
        Launcher launcher = Launcher.start(config, secret);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.close();
            stopped.countDown();
        }, "realtime-shutdown"));
        Signals.onTerm(() -> {
            launcher.drain(config.drainWindow());
            System.exit(Exit.OK);
        });
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Exit.OK;
    }

    private static int token(List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
            throws ConfigException {
        Map<String, String> options = Options.parse(args, List.of("--user", "--ttl", "--jwt-secret", "--help"));
        if (options.containsKey("--help")) {
            out.print(Usage.token());
            return Exit.OK;
        }
        String user = options.get("--user");
        if (user == null || !JwtAuthenticator.isValidSubject(user)) {
            throw new ConfigException("token needs --user ID (1 to 128 characters, no control characters)");
        }
        Duration ttl;
        try {
            ttl = LauncherConfig.parseDuration(options.getOrDefault("--ttl", "1h"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--ttl is \"" + options.get("--ttl") + "\"; use a duration such as 30m, 1h or 3600");
        }
        if (ttl.isZero()) {
            throw new ConfigException("--ttl must be longer than zero");
        }
        String configured = options.getOrDefault("--jwt-secret", env.get(Setting.JWT_SECRET_KEY.env()));
        if (configured != null && !configured.isEmpty()) {
            LauncherConfig.requireUsableSecret(configured,
                    options.containsKey("--jwt-secret") ? "--jwt-secret" : Setting.JWT_SECRET_KEY.env());
        }
        String secret = secret(configured, env, false);
        if (configured == null || configured.isEmpty()) {
            err.println("note: signed with the development secret in " + DevSecret.defaultPath(env)
                    + " (what a server without JWT_SECRET_KEY on this machine uses)");
        }
        out.println(new JwtIssuer(secret, Clock.systemUTC()).issue(user, ttl));
        return Exit.OK;
    }

    /** The secret in force: the configured one, or the development one (with a warning when serving). */
    private static String secret(String configured, Map<String, String> env, boolean serving) throws ConfigException {
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        Path file = DevSecret.defaultPath(env);
        String secret = DevSecret.loadOrCreate(file);
        if (serving) {
            org.slf4j.LoggerFactory.getLogger(Main.class).warn("JWT_SECRET_KEY is not set: development mode, using the "
                    + "generated secret in {}. Get a token with: java -jar realtime-launcher.jar token --user alice. "
                    + "Set JWT_SECRET_KEY in production.", file);
        }
        return secret;
    }

    /** Development mode without REALTIME_API_KEY: the publish API takes the generated development key. */
    private static String devApiKey(Map<String, String> env, int port) throws ConfigException {
        Path file = DevSecret.apiKeyPath(env);
        String key = DevSecret.loadOrCreate(file);
        org.slf4j.LoggerFactory.getLogger(Main.class).warn("REALTIME_API_KEY is not set: development mode, the "
                + "publish API takes the generated key in {}. Publish with: java -jar realtime-launcher.jar publish "
                + "--url http://localhost:{} --user alice --title Hi --message Hello", file, port);
        return key;
    }

    private static Map<Setting, String> settings(Map<String, String> options) {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        options.forEach((flag, value) -> {
            Setting setting = Setting.byFlag(flag);
            if (setting != null) {
                settings.put(setting, value);
            }
        });
        return settings;
    }
}

package io.focusmate.realtime.launcher.cli;

import io.focusmate.realtime.AllowedOrigins;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.redis.RedisUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's settings, read from flags first and the environment second. Immutable.
 *
 * @param host the address to bind
 * @param port the port
 * @param redisUrl the Redis address, or null for the in-memory broker
 * @param redisKeyPrefix the Redis channel prefix
 * @param jwtSecret the HS256 secret, or null for development mode
 * @param gateway the gateway's limits and timings
 * @param chatHistorySize the chat messages kept per room
 * @param openChat whether every authenticated user may join every chat room (development), instead of members only
 * @param apiKey the bearer key of the HTTP publish API, or null when the API is off
 * @param publishMaxBytes the largest HTTP publish request body
 * @param drainWindow the window over which a SIGTERM spreads the 1012 closes
 * @param handshakeTimeout how long a connection that is not (yet) a WebSocket may stay without a byte
 * @param canaryInterval how often the instance sends itself a canary through the broker
 * @param canaryTimeout how long a canary may take before the link counts as deaf
 * @param notificationHistory how much history the notification channels keep, for recovering clients
 * @param jwtClockSkew the tolerance for a token's {@code exp} and {@code nbf}; a connection is closed with 4003 this
 *     long after its token's {@code exp}
 * @param jwks the identity provider's JWKS and the issuer and audience every token must have
 */
public record LauncherConfig(String host, int port, RedisUrl redisUrl, String redisKeyPrefix, String jwtSecret,
                      GatewayConfig gateway, int chatHistorySize, boolean openChat, String apiKey,
                      int publishMaxBytes, Duration drainWindow, Duration handshakeTimeout, Duration canaryInterval,
                      Duration canaryTimeout, Duration jwtClockSkew, Jwks jwks,
                      HistorySettings notificationHistory) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,3})?)(?:/(s|m))?");

    /** Hides the secret from accidental printing. */
    @Override
    public String toString() {
        return "LauncherConfig[host=" + host + ", port=" + port + ", redis=" + redisUrl + ", prefix=" + redisKeyPrefix
                + ", secret=" + (jwtSecret == null ? (jwks.url() == null ? "dev" : "none") : "***") + ", " + jwks + ", apiKey=" + (apiKey == null ? "off" : "***")
                + ", " + gateway + "]";
    }

    private static GatewayConfig gateway(Values values) throws ConfigException {
        GatewayConfig gateway;
        try {
            gateway = GatewayConfig.builder()
                    .maxMessageBytes(values.integer(Setting.MAX_MESSAGE_BYTES, 64, 16 << 20))
                    .maxConnectionsPerUser(values.integer(Setting.MAX_CONNECTIONS_PER_USER, 1, 100_000))
                    .heartbeatInterval(values.duration(Setting.HEARTBEAT_INTERVAL))
                    .idleTimeout(values.duration(Setting.IDLE_TIMEOUT))
                    .sendQueueMaxBytes(values.integer(Setting.SEND_QUEUE_MAX_BYTES, 1024, Integer.MAX_VALUE))
                    .roomLease(values.duration(Setting.ROOM_LEASE))
                    .roomListLimit(values.integer(Setting.ROOM_LIST_LIMIT, 0, 1_000_000))
                    .allowedOrigins(origins(values))
                    .connectionLease(values.duration(Setting.CONNECTION_LEASE))
                    .tokenRefreshWindow(values.duration(Setting.TOKEN_REFRESH_WINDOW))
                    .clientMessageRate(values.rate(Setting.CLIENT_MESSAGE_RATE))
                    .clientMessageBurst(values.integer(Setting.CLIENT_MESSAGE_BURST, 1, 1_000_000))
                    .chatMessageRate(values.rate(Setting.CHAT_MESSAGE_RATE))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(settingNames(e.getMessage()));
        }
        if (!gateway.heartbeatInterval().isZero() && gateway.heartbeatInterval().compareTo(gateway.idleTimeout()) >= 0) {
            throw new ConfigException("HEARTBEAT_INTERVAL (" + gateway.heartbeatInterval().toMillis()
                    + " ms) must be shorter than IDLE_TIMEOUT (" + gateway.idleTimeout().toMillis()
                    + " ms), or clients are closed before they are pinged");
        }
        return gateway;
    }

    private static AllowedOrigins origins(Values values) throws ConfigException {
        try {
            return AllowedOrigins.parseList(values.get(Setting.ALLOWED_ORIGINS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ALLOWED_ORIGINS (" + Setting.ALLOWED_ORIGINS.flag() + "): " + e.getMessage());
        }
    }

    /** The publish API key, or null when the API is off. */
    private static String apiKey(Values values) throws ConfigException {
        String apiKey = values.get(Setting.REALTIME_API_KEY);
        if (apiKey == null || apiKey.isBlank()) {
            return null;
        }
        if (apiKey.length() < 16) {
            throw new ConfigException("REALTIME_API_KEY is " + apiKey.length() + " characters; use at least 16 "
                    + "(for example: openssl rand -hex 24), or unset it to turn the publish API off");
        }
        return apiKey;
    }

    /** These settings with another publish API key. */
    LauncherConfig withApiKey(String key) {
        return new LauncherConfig(host, port, redisUrl, redisKeyPrefix, jwtSecret, gateway, chatHistorySize, openChat,
                key, publishMaxBytes, drainWindow, handshakeTimeout, canaryInterval, canaryTimeout,
                jwtClockSkew, jwks, notificationHistory);
    }

    /** These settings with other gateway settings (tests set those the launcher does not expose). */
    public LauncherConfig withGateway(GatewayConfig other) {
        return new LauncherConfig(host, port, redisUrl, redisKeyPrefix, jwtSecret, other, chatHistorySize, openChat,
                apiKey, publishMaxBytes, drainWindow, handshakeTimeout, canaryInterval, canaryTimeout,
                jwtClockSkew, jwks, notificationHistory);
    }

    /**
     * Reads every setting.
     *
     * @param env the environment
     * @param flags values given on the command line, by setting; they win over the environment
     * @throws ConfigException naming the first bad value and how to fix it
     */
    public static LauncherConfig read(Map<String, String> env, Map<Setting, String> flags) throws ConfigException {
        Values values = new Values(env, flags);
        int port = values.integer(Setting.PORT, 0, 65535);
        String host = values.get(Setting.HOST);
        String redis = values.get(Setting.REDIS_URL);
        RedisUrl redisUrl = null;
        if (redis != null && !redis.isBlank()) {
            try {
                redisUrl = RedisUrl.parse(redis);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("REDIS_URL (" + Setting.REDIS_URL.flag() + "): " + e.getMessage());
            }
        }
        if (values.get(Setting.REDIS_KEY_PREFIX).contains("notifications:")) {
            throw new ConfigException("REDIS_KEY_PREFIX (" + Setting.REDIS_KEY_PREFIX.flag() + ") must not contain "
                    + "\"notifications:\" (the history's Redis Function finds the channel from there); use, e.g., staging:");
        }
        String secret = values.get(Setting.JWT_SECRET_KEY);
        if (secret != null && !secret.isEmpty()) {
            String source = flags.containsKey(Setting.JWT_SECRET_KEY) ? "--jwt-secret" : "JWT_SECRET_KEY";
            requireUsableSecret(secret, source);
        } else {
            secret = null;
        }
        GatewayConfig gateway = gateway(values);
        int historySize = values.integer(Setting.CHAT_HISTORY_SIZE, 1, 1_000_000);
        String configured = values.get(Setting.CHAT_MEMBERSHIP);
        String membership = configured == null || configured.isBlank()
                ? (redisUrl == null ? "open" : "members") : configured.trim();
        if (!membership.equals("members") && !membership.equals("open")) {
            throw new ConfigException("CHAT_MEMBERSHIP (" + Setting.CHAT_MEMBERSHIP.flag() + ") is \"" + membership
                    + "\"; it must be members or open");
        }
        String apiKey = apiKey(values);
        Duration canaryInterval = values.duration(Setting.CANARY_INTERVAL);
        Duration canaryTimeout = values.duration(Setting.CANARY_TIMEOUT);
        if (canaryInterval.toMillis() < 10 || canaryTimeout.compareTo(canaryInterval) <= 0) {
            throw new ConfigException("CANARY_INTERVAL must be at least 10ms and CANARY_TIMEOUT longer than it");
        }
        Duration handshakeTimeout = values.duration(Setting.HANDSHAKE_TIMEOUT);
        if (handshakeTimeout.toMillis() < 1000 || handshakeTimeout.toMillis() % 1000 != 0) {
            throw new ConfigException("HANDSHAKE_TIMEOUT (" + Setting.HANDSHAKE_TIMEOUT.flag() + ") must be a whole "
                    + "number of seconds, at least 1s, such as 10s");
        }
        return new LauncherConfig(host, port, redisUrl, values.get(Setting.REDIS_KEY_PREFIX), secret, gateway,
                historySize, membership.equals("open"), apiKey, values.integer(Setting.PUBLISH_MAX_BYTES, 256,
                16 << 20), values.duration(Setting.DRAIN_WINDOW), handshakeTimeout, canaryInterval, canaryTimeout,
                values.duration(Setting.JWT_CLOCK_SKEW), Jwks.read(values), history(values));
    }

    /**
     * Whether this is a production set-up: a real JWT_SECRET_KEY or a JWKS verifies the tokens (no generated
     * development secret or publish API key).
     */
    public boolean production() {
        return jwtSecret != null || jwks.url() != null;
    }

    /**
     * The identity provider's settings.
     *
     * @param url the JWKS URL, or null without one
     * @param issuer the {@code iss} every token must have, or null for any
     * @param audience a value every token's {@code aud} must contain, or null for any
     */
    public record Jwks(URI url, String issuer, String audience) {
        private static Jwks read(Values values) throws ConfigException {
            String text = values.get(Setting.JWT_JWKS_URL);
            URI url = null;
            if (text != null && !text.isBlank()) {
                try {
                    url = new URI(text.trim());
                    JwtAuthenticator.jwks(url); // checks it is an http(s) URL with a host
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new ConfigException(Setting.JWT_JWKS_URL.env() + " (" + Setting.JWT_JWKS_URL.flag()
                            + ") is \"" + text.trim() + "\"; use your identity provider's http:// or https:// JWKS URL, such as "
                            + "https://idp.example.com/.well-known/jwks.json");
                }
            }
            return new Jwks(url, blankToNull(values.get(Setting.JWT_ISSUER)),
                    blankToNull(values.get(Setting.JWT_AUDIENCE)));
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text.trim();
        }

        @Override
        public String toString() {
            return "jwks=" + (url == null ? "none" : url) + (issuer == null ? "" : ", issuer=" + issuer)
                    + (audience == null ? "" : ", audience=" + audience);
        }
    }

    private static HistorySettings history(Values values) throws ConfigException {
        int size = values.integer(Setting.NOTIFICATION_HISTORY_SIZE, 0, 1_000_000);
        try {
            return new HistorySettings(size, values.duration(Setting.NOTIFICATION_HISTORY_TTL),
                    values.duration(Setting.NOTIFICATION_HISTORY_META_TTL), values.duration(Setting.IDEMPOTENCY_WINDOW));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("NOTIFICATION_HISTORY_TTL, NOTIFICATION_HISTORY_META_TTL and IDEMPOTENCY_WINDOW "
                    + "must be positive, and NOTIFICATION_HISTORY_META_TTL at least as long as NOTIFICATION_HISTORY_TTL");
        }
    }

    /** A gateway validation message with the operator's names for the settings, not the Java ones. */
    private static String settingNames(String message) {
        return message.replace("maxMessageBytes", "MAX_MESSAGE_BYTES")
                .replace("maxConnectionsPerUser", "MAX_CONNECTIONS_PER_USER")
                .replace("heartbeatInterval", "HEARTBEAT_INTERVAL")
                .replace("idleTimeout", "IDLE_TIMEOUT")
                .replace("sendQueueMaxBytes", "SEND_QUEUE_MAX_BYTES")
                .replace("roomLease", "ROOM_LEASE")
                .replace("connectionLease", "CONNECTION_LEASE")
                .replace("tokenRefreshWindow", "TOKEN_REFRESH_WINDOW")
                .replace("clientMessageRate", "CLIENT_MESSAGE_RATE")
                .replace("chatMessageRate", "CHAT_MESSAGE_RATE");
    }

    /**
     * Fails with an operator-readable message (never the secret) when the HS256 secret is too short.
     *
     * @param source where the secret came from, as the operator wrote it: {@code JWT_SECRET_KEY} or {@code --jwt-secret}
     */
    static void requireUsableSecret(String secret, String source) throws ConfigException {
        try {
            JwtAuthenticator.builder(secret).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    /** Parses {@code 25s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private record Values(Map<String, String> env, Map<Setting, String> flags) {
        String get(Setting setting) {
            String flag = flags.get(setting);
            if (flag != null) {
                return flag;
            }
            String value = env.get(setting.env());
            return value != null ? value : setting.defaultValue();
        }

        int integer(Setting setting, int min, int max) throws ConfigException {
            String text = get(setting).trim();
            try {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) {
                    return (int) value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(setting.env() + " (" + setting.flag() + ") is \"" + text
                    + "\"; it must be a whole number from " + min + " to " + max);
        }

        /** A rate per second: {@code 20/s}, {@code 300/m} or a bare number per second; zero means no limit. */
        double rate(Setting setting) throws ConfigException {
            String text = get(setting).trim();
            Matcher m = RATE.matcher(text);
            if (!m.matches() || Double.parseDouble(m.group(1)) > 1_000_000) {
                throw new ConfigException(setting.env() + " (" + setting.flag() + ") is \"" + text
                        + "\"; use a rate such as 20/s or 300/m, at most 1000000/s (0 turns the limit off)");
            }
            double value = Double.parseDouble(m.group(1));
            return "m".equals(m.group(2)) ? value / 60 : value;
        }

        Duration duration(Setting setting) throws ConfigException {
            String text = get(setting);
            try {
                return parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(setting.env() + " (" + setting.flag() + ") is \"" + text
                        + "\"; use a duration such as 25s, 500ms, 2m or 1h");
            }
        }
    }
}

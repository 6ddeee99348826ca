package io.focusmate.realtime.launcher.cli;

import java.util.Locale;

/** Every setting of the launcher: its environment variable, the flag that mirrors it, and its default. */
public enum Setting {
    PORT("TCP port to listen on", "8000"),
    HOST("address to bind", "0.0.0.0"),
    REDIS_URL("redis://[user:password@]host:port[/db], or redis-cluster://host1:port1,host2:port2 for a Redis "
            + "Cluster; unset = in-memory broker (one instance only)", null),
    REDIS_KEY_PREFIX("prefix for every Redis channel, for a shared Redis", ""),
    JWT_SECRET_KEY("HS256 secret, at least 32 bytes; unset (and no JWT_JWKS_URL) = development mode with a generated "
            + "secret", null),
    JWT_JWKS_URL("your identity provider's JWKS URL, http(s)://...; RS256, ES256 and EdDSA tokens are verified with "
            + "its keys (HS256 ones only with JWT_SECRET_KEY); set = production mode", null),
    JWT_ISSUER("the iss every token must have; unset = any", null),
    JWT_AUDIENCE("a value every token's aud must contain; unset = any", null),
    JWT_CLOCK_SKEW("tolerance for a token's exp and nbf; a connection is closed with 4003 this long after its "
            + "token's exp unless it refreshed the token in-band", "30s"),
    ALLOWED_ORIGINS("browser origins that may connect, comma-separated, *. for one subdomain label "
            + "(https://app.example.com,https://*.example.com); others get 403; unset = any", null),
    MAX_MESSAGE_BYTES("largest client text frame in bytes", "10240"),
    MAX_CONNECTIONS_PER_USER("connections one user may hold: on every instance with REDIS_URL, on this one without",
            "5"),
    CONNECTION_LEASE("with REDIS_URL, a crashed instance's connections stop counting toward "
            + "MAX_CONNECTIONS_PER_USER within this", "15s"),
    TOKEN_REFRESH_WINDOW("send token_expiring this long before a connection's token expires; at exp (plus "
            + "JWT_CLOCK_SKEW) an unrefreshed connection is closed with 4003", "60s"),
    CLIENT_MESSAGE_RATE("frames one connection may send per second, e.g. 20/s (0 = no limit); more get "
            + "RATE_LIMITED, ten times it for a second closes with 4008", "20/s"),
    CLIENT_MESSAGE_BURST("frames one connection may send at once before CLIENT_MESSAGE_RATE applies", "40"),
    CHAT_MESSAGE_RATE("chat messages one user may send per second across all connections and instances, e.g. 5/s "
            + "(0 = no limit)", "5/s"),
    HEARTBEAT_INTERVAL("ping a quiet connection after this long (0 = never), e.g. 25s", "25s"),
    IDLE_TIMEOUT("close a connection silent for this long, e.g. 60s", "60s"),
    SEND_QUEUE_MAX_BYTES("outbound bytes queued for one slow client before it is closed", "1048576"),
    ROOM_LEASE("room presence lease; a crashed instance's participants leave within 4/3 of it", "15s"),
    ROOM_LIST_LIMIT("most participants a room lists and announces by name; a larger room sends a count", "250"),
    NOTIFICATION_HISTORY_SIZE("notifications kept per channel for clients that reconnect with their position "
            + "(0 = no history: frames are only delivered live)", "100"),
    NOTIFICATION_HISTORY_TTL("a channel's notifications are kept this long after its last one, e.g. 24h", "24h"),
    NOTIFICATION_HISTORY_META_TTL("a channel's epoch and last offset are kept this long (at least "
            + "NOTIFICATION_HISTORY_TTL), so a quiet channel's client still recovers", "720h"),
    IDEMPOTENCY_WINDOW("a publication with the same Idempotency-Key on the same channel within this is not sent "
            + "again", "10m"),
    CHAT_HISTORY_SIZE("chat messages kept per room for replay on reconnect", "1000"),
    CHAT_MEMBERSHIP("who may join a chat room: members (the set matching:chat:{room_id}:members) or open; "
            + "default members with REDIS_URL, open without (development)", null),
    REALTIME_API_KEY("bearer key of the HTTP publish API, at least 16 characters; unset = off (development mode: "
            + "a generated key in ~/.config/focusmate-realtime/dev-api-key)", null),
    PUBLISH_MAX_BYTES("largest HTTP publish request body in bytes", "65536"),
    HANDSHAKE_TIMEOUT("close a connection that is not a WebSocket after this long without a byte (a half-sent "
            + "request, an idle HTTP keep-alive), in whole seconds, e.g. 10s", "10s"),
    LOG_FORMAT("log lines on stderr: text (readable, fields as key=value) or json (one object per line, for log "
            + "collectors)", "text"),
    DRAIN_WINDOW("on SIGTERM, close connections with 1012 spread over this window", "10s"),
    CANARY_INTERVAL("how often the instance sends itself a canary through Redis", "1s"),
    CANARY_TIMEOUT("a canary not back within this marks the broker link deaf (health 503) and reconnects", "5s");

    private final String description;
    private final String defaultValue;

    Setting(String description, String defaultValue) {
        this.description = description;
        this.defaultValue = defaultValue;
    }

    /** The environment variable. */
    String env() {
        return name();
    }

    /** The command-line flag, such as {@code --redis-url}. */
    String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String description() {
        return description;
    }

    /** The default, or null when unset means something (see the description). */
    String defaultValue() {
        return defaultValue;
    }

    /** The setting a flag names, or null. */
    static Setting byFlag(String flag) {
        for (Setting setting : values()) {
            if (setting.flag().equals(flag)) {
                return setting;
            }
        }
        return flag.equals("--jwt-secret") ? JWT_SECRET_KEY : null;
    }
}

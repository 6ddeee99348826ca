package io.focusmate.realtime.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code redis://[user:password@]host[:port][/db]} or {@code rediss://} (TLS) address. Immutable.
 * {@link #toString()} masks the password, so the value is safe to log.
 *
 * @param host the host name or address
 * @param port the port, 6379 by default
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param database the database number, 0 by default
 * @param tls whether the scheme is {@code rediss}
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {

    /**
     * Parses a Redis URL.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and shows the expected form (the
     *     password is never echoed)
     */
    public static RedisUrl parse(String text) {
        String expected = "; expected redis://host:port (or rediss://, with optional user:password@ and /db)";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the Redis URL is empty" + expected);
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Redis URL is malformed" + expected);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw new IllegalArgumentException("the Redis URL must start with redis:// or rediss://" + expected);
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("the Redis URL has no host (or a malformed port)" + expected);
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the Redis URL's port must be 1-65535" + expected);
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the Redis URL's database must be a number, as in /0" + expected);
            }
        }
        return new RedisUrl(uri.getHost(), port, user, password, database, scheme.equals("rediss"));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String auth = password == null ? "" : (user == null ? "" : user) + ":***@";
        return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + (database == 0 ? "" : "/" + database);
    }
}

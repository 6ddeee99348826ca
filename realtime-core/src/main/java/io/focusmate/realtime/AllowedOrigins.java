package io.focusmate.realtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The browser origins allowed to open a WebSocket, against cross-site WebSocket hijacking. Each entry is
 * {@code scheme://host[:port]}, where the host may start with {@code *.} for exactly one more leading label
 * ({@code https://*.example.com} allows {@code https://app.example.com}, not {@code https://example.com} nor
 * {@code https://a.b.example.com}). Schemes and hosts compare case-insensitively; a missing port is the scheme's
 * default. A handshake without an {@code Origin} header (a server-side client) is always allowed; the literal
 * {@code null} origin (a sandboxed page, a file) matches no entry. An empty list allows every origin.
 * Immutable and thread-safe.
 *
 * @param patterns the allowed origins, as written
 */
public record AllowedOrigins(List<String> patterns) {
    /** Every origin allowed: the default. */
    public static final AllowedOrigins ANY = new AllowedOrigins(List.of());

    /**
     * Checks and copies the patterns.
     *
     * @throws IllegalArgumentException naming the first entry that is not an origin
     */
    public AllowedOrigins {
        patterns = List.copyOf(patterns);
        for (String pattern : patterns) {
            if (parse(pattern.replace("://*.", "://wildcard.")) == null) {
                throw new IllegalArgumentException("\"" + pattern + "\" is not an origin; use scheme://host[:port],"
                        + " with *. for one leading subdomain label, as in https://*.example.com");
            }
        }
    }

    /** The origins of a comma-separated list, blanks ignored ({@code https://a.example,https://*.b.example}). */
    public static AllowedOrigins parseList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return ANY;
        }
        return new AllowedOrigins(List.of(commaSeparated.trim().split("\\s*,\\s*")));
    }

    /** Whether every origin is allowed (no list). */
    public boolean allowsAny() {
        return patterns.isEmpty();
    }

    /** Whether a handshake with this {@code Origin} header (null when absent) may upgrade. */
    public boolean allows(String origin) {
        if (origin == null || patterns.isEmpty()) {
            return true;
        }
        Origin actual = parse(origin.trim());
        if (actual == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (matches(pattern, actual)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, Origin actual) {
        boolean wildcard = pattern.contains("://*.");
        Origin allowed = parse(pattern.replace("://*.", "://wildcard."));
        if (allowed == null || !allowed.scheme.equals(actual.scheme) || allowed.port != actual.port) {
            return false;
        }
        if (!wildcard) {
            return allowed.host.equals(actual.host);
        }
        String parent = allowed.host.substring("wildcard.".length());
        int dot = actual.host.indexOf('.');
        return dot > 0 && actual.host.substring(dot + 1).equals(parent);
    }

    /** A parsed origin: scheme, host and port (the scheme's default when absent); null when it is not one. */
    private record Origin(String scheme, String host, int port) {
    }

    private static Origin parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
        if (scheme == null || host == null || !bare || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }
}

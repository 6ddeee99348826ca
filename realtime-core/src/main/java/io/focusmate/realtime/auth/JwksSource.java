package io.focusmate.realtime.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;

/**
 * The keys of an identity provider's JWKS URL, through Nimbus's {@link JWKSourceBuilder}: a cache (the set is
 * fetched again after its time to live, and at once when a token names an unknown {@code kid}), a rate limit on
 * fetches, and an outage cache (when a fetch fails, the last set fetched keeps serving for the outage tolerance,
 * counted from that fetch). Since the time to live is longer than the rate limit's interval, every fetch the limit
 * refuses comes within the time to live of a fetch it allowed: the cache never expires while the limit is spent,
 * so tokens with unknown {@code kid}s cannot keep known keys from working. No threads of its own (no refresh-ahead):
 * a fetch runs on the thread that needs it, and threads needing keys meanwhile wait for it. Thread-safe.
 */
final class JwksSource {
    /** HTTP timeouts and size limit of one fetch. */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 2_000;
    static final int SIZE_LIMIT_BYTES = 256 * 1024;
    /** How long a thread waits for another thread's fetch before it fails. */
    static final long REFRESH_WAIT_MS = 5_000;

    private JwksSource() {
    }

    /** Whether {@code url} is an absolute http(s) URL with a host. */
    static boolean isHttpUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    /**
     * @param timeToLive how long a fetched set is used before it is fetched again
     * @param refreshInterval the rate limit: at most two fetches per interval; shorter than the time to live
     * @param outageTolerance how long after the last successful fetch its keys keep working while fetches fail
     */
    static JWKSource<SecurityContext> create(URI url, Duration timeToLive, Duration refreshInterval,
                                             Duration outageTolerance) {
        URL address;
        try {
            address = url.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + e.getMessage(), e);
        }
        return JWKSourceBuilder.<SecurityContext>create(address,
                        new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES))
                .refreshAheadCache(false)
                .cache(timeToLive.toMillis(), REFRESH_WAIT_MS)
                .rateLimited(refreshInterval.toMillis())
                .outageTolerant(outageTolerance.toMillis())
                .build();
    }
}

package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {
    private final AllowedOrigins origins = AllowedOrigins.parseList("https://app.example.com, https://*.example.org,"
            + "http://localhost:5173");

    @Test
    void anAllowedOriginMatchesWhateverTheCaseAndAnExplicitDefaultPort() {
        assertTrue(origins.allows("https://app.example.com"));
        assertTrue(origins.allows("HTTPS://App.Example.COM"));
        assertTrue(origins.allows("https://app.example.com:443"));
        assertTrue(origins.allows("http://localhost:5173"));
    }

    @Test
    void anotherSchemePortOrHostIsRefused() {
        assertFalse(origins.allows("http://app.example.com"));
        assertFalse(origins.allows("https://app.example.com:8443"));
        assertFalse(origins.allows("http://localhost:3000"));
        assertFalse(origins.allows("https://evil.example"));
        assertFalse(origins.allows("https://app.example.com.evil.example"));
    }

    @Test
    void aWildcardAllowsExactlyOneMoreLeadingLabel() {
        assertTrue(origins.allows("https://app.example.org"));
        assertFalse(origins.allows("https://example.org"));
        assertFalse(origins.allows("https://a.b.example.org"));
        assertFalse(origins.allows("https://evilexample.org"));
    }

    @Test
    void noOriginHeaderIsAServerSideClientAndIsAllowedButTheNullOriginIsNot() {
        assertTrue(origins.allows(null));
        assertFalse(origins.allows("null"));
        assertFalse(origins.allows("not an origin"));
    }

    @Test
    void anEmptyListAllowsEveryOrigin() {
        assertTrue(AllowedOrigins.parseList("").allowsAny());
        assertTrue(AllowedOrigins.ANY.allows("https://evil.example"));
        assertTrue(AllowedOrigins.ANY.allows("null"));
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedWithWhatToWrite() {
        for (String bad : List.of("app.example.com", "https://app.example.com/path", "https://*", "*")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AllowedOrigins(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("scheme://host[:port]"), e.getMessage());
        }
    }
}

package io.focusmate.realtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Picks the keys that may verify a token, from its header: the shared secret for {@code HS256}, and for the
 * asymmetric algorithms only the JWKS keys whose type fits the algorithm ({@code RS256}: RSA of at least 2048
 * bits; {@code ES256}: EC on P-256; {@code EdDSA} or {@code Ed25519}: OKP on Ed25519), whose {@code kid} is the
 * token's (any, when the token has none), whose {@code use} is {@code sig} or absent and whose {@code alg}, when
 * present, is the token's. So an HS256 token is never checked against a JWKS key (the RS256/HS256 confusion), and a
 * JWKS key never serves an algorithm of another type. Every other algorithm gets no key. Thread-safe.
 */
final class TokenKeys implements JWSKeySelector<SecurityContext> {
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 raw key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
            0x21, 0x00};
    private static final int MIN_RSA_BITS = 2048;

    private final List<Key> secret;
    private final JWKSource<SecurityContext> jwks;

    /**
     * @param secret the HS256 key, or null without one
     * @param jwks the identity provider's keys, or null without a JWKS
     */
    TokenKeys(SecretKey secret, JWKSource<SecurityContext> jwks) {
        this.secret = secret == null ? List.of() : List.of(secret);
        this.jwks = jwks;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (JWSAlgorithm.HS256.equals(alg)) {
            // The shared secret is the only HMAC key: selected by algorithm alone, so that a kid header (which some
            // libraries add) does not hide it.
            return secret;
        }
        if (jwks == null) {
            return List.of();
        }
        JWKMatcher.Builder matcher = new JWKMatcher.Builder().keyID(header.getKeyID()).keyUses(KeyUse.SIGNATURE, null);
        if (JWSAlgorithm.RS256.equals(alg)) {
            matcher.keyType(KeyType.RSA).minKeySize(MIN_RSA_BITS).algorithms(alg, null);
        } else if (JWSAlgorithm.ES256.equals(alg)) {
            matcher.keyType(KeyType.EC).curve(Curve.P_256).algorithms(alg, null);
        } else if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)) {
            matcher.keyType(KeyType.OKP).curve(Curve.Ed25519).algorithms(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, null);
        } else {
            return List.of();
        }
        return publicKeys(jwks.get(new JWKSelector(matcher.build()), context));
    }

    /** The keys of the JWKS now (fetching it when nothing is cached). */
    List<JWK> all() throws KeySourceException {
        return jwks == null ? List.of() : jwks.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    }

    private static List<Key> publicKeys(List<JWK> matches) {
        List<Key> keys = new ArrayList<>(matches.size());
        for (JWK jwk : matches) {
            try {
                if (jwk instanceof RSAKey rsa) {
                    keys.add(rsa.toRSAPublicKey());
                } else if (jwk instanceof ECKey ec) {
                    keys.add(ec.toECPublicKey());
                } else if (jwk instanceof OctetKeyPair okp) {
                    keys.add(ed25519PublicKey(okp.getDecodedX()));
                }
            } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
                // a malformed key in the set verifies nothing; the others still may
            }
        }
        return keys;
    }

    /** The JDK's Ed25519 public key for the 32 raw bytes of a JWK's {@code x}. */
    static Key ed25519PublicKey(byte[] x) throws GeneralSecurityException {
        if (x == null || x.length != 32) {
            throw new GeneralSecurityException("an Ed25519 key has 32 bytes");
        }
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}

package io.focusmate.realtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Set;

/**
 * Makes the signature verifier for a token's algorithm and a key {@link TokenKeys} picked: Nimbus's for HS256,
 * RS256 and ES256, and for EdDSA (Ed25519) one on the JDK's own {@code Ed25519} signature (Java 15+), because
 * Nimbus's {@code Ed25519Verifier} needs Google Tink on the class path. Thread-safe.
 */
final class TokenVerifiers implements JWSVerifierFactory {
    private static final Set<JWSAlgorithm> ED25519 = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (ED25519.contains(header.getAlgorithm())) {
            if (!(key instanceof EdECPublicKey edKey)) {
                throw new JOSEException("an EdDSA token needs an Ed25519 public key");
            }
            return new JdkEd25519Verifier(edKey);
        }
        return nimbus.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA,
                JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
        return nimbus.getJCAContext();
    }

    /** Verifies an Ed25519 signature (RFC 8037) with the JDK. One per token; not shared between threads. */
    private static final class JdkEd25519Verifier implements JWSVerifier {
        private final PublicKey key;
        private final JCAContext jca = new JCAContext();

        JdkEd25519Verifier(PublicKey key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
            if (!ED25519.contains(header.getAlgorithm())
                    || header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
                return false; // no critical header parameter is understood
            }
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature.decode());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ED25519;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}

package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Sessions for tests that drive a feature's local state directly, without an engine. */
public final class Sessions {
    private Sessions() {
    }

    /** An authenticated session of {@code user} on {@code transport}, its outbound queue still held back. */
    public static Session accepted(String user, Transport transport) {
        Session.Owner owner = new Session.Owner() {
            @Override
            public long nowMillis() {
                return 0;
            }

            @Override
            public void received(Session session, ClientMessage message) {
            }

            @Override
            public void released(Session session, int code) {
            }

            @Override
            public void overflowed(Session session) {
            }

            @Override
            public void flooded(Session session) {
            }
        };
        Session session = new Session(1, EndpointKind.CHAT, owner, new GatewayMetrics(new SimpleMeterRegistry()), 10_240,
                transport, 1 << 20, null, 0);
        session.accept(new Principal(user));
        return session;
    }
}

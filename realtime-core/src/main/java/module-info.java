/**
 * The gateway: its API ({@code Gateway}, its configuration, publishing, health), the SPIs an integrator implements
 * (the broker, the stores, the policies, the authenticator, the container adapter's transport), the three features
 * and the engine. No container and no Redis client. Packages named {@code internal} are not API.
 */
@SuppressWarnings({"module", "requires-transitive-automatic"})
module io.focusmate.realtime {
    requires transitive micrometer.core;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires org.slf4j;

    exports io.focusmate.realtime;
    exports io.focusmate.realtime.adapter;
    exports io.focusmate.realtime.auth;
    exports io.focusmate.realtime.chat;
    exports io.focusmate.realtime.limits;
    exports io.focusmate.realtime.notifications;
    exports io.focusmate.realtime.protocol;
    exports io.focusmate.realtime.pubsub;
    exports io.focusmate.realtime.rooms;
    exports io.focusmate.realtime.internal.pubsub to io.focusmate.realtime.redis;
}

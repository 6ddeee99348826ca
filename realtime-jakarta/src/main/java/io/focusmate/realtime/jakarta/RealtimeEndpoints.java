package io.focusmate.realtime.jakarta;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.adapter.Transport;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Deploys a {@link Gateway}'s endpoints into any Jakarta WebSocket container (Tyrus, Jetty, Tomcat, Undertow).
 *
 * <pre>{@code
 * ServerContainer container = ...; // from the servlet context or the embedded server
 * RealtimeEndpoints.register(container, gateway);
 * }</pre>
 *
 * <p>Thread-safe; the configs may be registered in several containers.
 */
public final class RealtimeEndpoints {

    private RealtimeEndpoints() {
    }

    /** One programmatic endpoint config per {@link EndpointKind}, at its path, on the portable transport. */
    public static List<ServerEndpointConfig> configs(Gateway gateway) {
        return configs(gateway, JakartaTransport::new);
    }

    /**
     * The configs with a container-specific transport (for example one that writes each frame's bytes, encoded
     * once for all recipients); {@code transports} makes one per session.
     */
    public static List<ServerEndpointConfig> configs(Gateway gateway, Function<Session, Transport> transports) {
        List<ServerEndpointConfig> configs = new ArrayList<>();
        for (EndpointKind kind : EndpointKind.values()) {
            configs.add(ServerEndpointConfig.Builder.create(RealtimeEndpoint.class, kind.path())
                    .configurator(new Configurator(gateway, kind, transports))
                    .build());
        }
        return configs;
    }

    /**
     * Adds every endpoint of the gateway to the container, at the paths of {@link EndpointKind}.
     *
     * @throws IllegalStateException when the container refuses an endpoint (for example, a path already taken)
     */
    public static void register(ServerContainer container, Gateway gateway) {
        for (ServerEndpointConfig config : configs(gateway)) {
            try {
                container.addEndpoint(config);
            } catch (DeploymentException e) {
                throw new IllegalStateException("the container refused the endpoint " + config.getPath() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Creates the endpoint instances and carries the {@code Authorization} header into the session. */
    private static final class Configurator extends ServerEndpointConfig.Configurator {
        private final Gateway gateway;
        private final EndpointKind kind;
        private final Function<Session, Transport> transports;

        Configurator(Gateway gateway, EndpointKind kind, Function<Session, Transport> transports) {
            this.gateway = gateway;
            this.kind = kind;
            this.transports = transports;
        }

        /** A handshake from an origin the gateway does not allow is refused with 403, before the upgrade. */
        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return gateway.allowsOrigin(kind, originHeaderValue);
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            String authorization = header(request.getHeaders(), "Authorization");
            if (authorization == null) {
                config.getUserProperties().remove(RealtimeEndpoint.AUTHORIZATION_PROPERTY);
            } else {
                config.getUserProperties().put(RealtimeEndpoint.AUTHORIZATION_PROPERTY, authorization);
            }
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new RealtimeEndpoint(gateway, kind, transports));
        }

        private static String header(Map<String, List<String>> headers, String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (name.equalsIgnoreCase(entry.getKey()) && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }
}

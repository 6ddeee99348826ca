package io.focusmate.realtime.launcher.server;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus container without a server of its own: {@link RealtimeServer} plugs its engine into a Grizzly
 * {@code HttpServer} it builds itself (through Tyrus's public {@code WebSocketAddOn}), so that plain HTTP routes can
 * share the port. Tyrus's own Grizzly container class is package-private, hence this small one.
 */
final class GrizzlyWebSocketContainer extends TyrusServerContainer {
    private final WebSocketEngine engine;
    private final Map<String, Object> properties;

    GrizzlyWebSocketContainer(int incomingBufferSize) {
        super((java.util.Set<Class<?>>) null);
        this.properties = Map.of(TyrusWebSocketEngine.INCOMING_BUFFER_SIZE, incomingBufferSize);
        this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig config) throws DeploymentException {
        engine.register(config, "");
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }
}

/**
 * The Java client of the realtime gateway: {@code RealtimeClient}. Built on the JDK's {@code java.net.http.WebSocket}
 * and Jackson only; it never depends on the server's modules.
 */
module io.focusmate.realtime.client {
    requires java.net.http;
    requires transitive com.fasterxml.jackson.databind;

    exports io.focusmate.realtime.client;
}

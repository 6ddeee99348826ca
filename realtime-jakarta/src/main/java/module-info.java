/** The adapter that deploys a gateway into any Jakarta WebSocket container: {@code RealtimeEndpoints}. */
module io.focusmate.realtime.jakarta {
    requires transitive io.focusmate.realtime;
    requires transitive jakarta.websocket;
    requires org.slf4j;

    exports io.focusmate.realtime.jakarta;
}

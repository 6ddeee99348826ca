/**
 * Compatibility kits for the gateway's SPIs ({@code PubSubContractTest}, {@code RoomStoreContractTest},
 * {@code ChatStoreContractTest}, {@code NotificationHistoryContractTest}), a redis-server runner and WebSocket test
 * clients.
 */
module io.focusmate.realtime.testkit {
    requires transitive io.focusmate.realtime;
    requires transitive org.junit.jupiter.api;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.net.http;

    exports io.focusmate.realtime.testkit;
    opens io.focusmate.realtime.testkit to org.junit.platform.commons;
}

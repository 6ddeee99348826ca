package io.focusmate.realtime.launcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter;
import org.junit.jupiter.api.Test;

/**
 * The direct frame path and the release of the upgrade request reach into Tyrus internals: an upgrade that moves them
 * must fail here, not go slow or grow quietly.
 */
class TyrusFrameTransportTest {
    @Test
    void thePinnedTyrusHasTheRawFramePath() {
        assertTrue(TyrusFrameTransport.available(), "Tyrus changed: frames would be encoded per socket again");
    }

    @Test
    void upgradedConnectionsAreRecognisedByTyrusOwnAttribute() throws ReflectiveOperationException {
        var field = GrizzlyServerFilter.class.getDeclaredField("TYRUS_CONNECTION");
        field.setAccessible(true);
        Attribute<?> tyrus = (Attribute<?>) field.get(null);
        assertEquals(tyrus.name(), ReleaseUpgradeRequestAddOn.TYRUS_CONNECTION.name(),
                "Tyrus renamed its connection attribute: upgraded connections would keep their HTTP request");
    }
}

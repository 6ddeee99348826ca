package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The raw frame path reaches into Tyrus internals: an upgrade that moves them must fail here, not go slow quietly. */
class TyrusFrameTransportTest {
    @Test
    void thePinnedTyrusHasTheRawFramePath() {
        assertTrue(TyrusFrameTransport.available(), "Tyrus changed: frames would be encoded per socket again");
    }
}

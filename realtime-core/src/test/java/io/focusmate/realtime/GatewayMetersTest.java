package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.auth.Principal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's meters in the embedder's registry, under the names docs/operations.md lists. */
class GatewayMetersTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryBackend backend = new InMemoryBackend();
    private final Gateway gateway = Gateway.builder().backend(backend).authenticator(Principal::new)
            .meterRegistry(meters).build();

    @AfterEach
    void close() {
        gateway.close();
        backend.close();
    }

    @Test
    void theBrokerAndConnectionGaugesStillReadAfterAGarbageCollection() {
        collectGarbage();
        assertEquals(1, meters.get("realtime.broker.up").gauge().value());
        assertEquals(1, meters.get("realtime.broker.state").tag("state", "up").gauge().value());
        assertEquals(0, meters.get("realtime.broker.state").tag("state", "down").gauge().value());
        assertEquals(0, meters.get("realtime.connections.active").tag("endpoint", "room").gauge().value());
    }

    @Test
    void everyDocumentedCounterIsRegisteredFromTheStart() {
        for (String name : new String[] {"realtime.messages.delivered", "realtime.invalid.payloads.dropped",
                "realtime.queue.overflows", "realtime.idle.timeouts", "realtime.broker.publish.errors"}) {
            assertEquals(0, meters.get(name).counter().count(), name);
        }
        assertEquals(0, meters.get("realtime.delivery.latency").timer().count());
    }

    /** Runs the collector until a fresh weakly held object is gone (or ten rounds passed). */
    private static void collectGarbage() {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        for (int i = 0; i < 10 && probe.get() != null; i++) {
            System.gc();
        }
    }
}

package io.focusmate.realtime.rooms;

import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;

/**
 * How a gateway's engine gets the rooms endpoint. Not for application code: its one method takes the engine's
 * internal context; configure rooms through {@code Gateway.Builder}.
 */
public final class RoomsFeature {
    private RoomsFeature() {
    }

    /** The endpoint of {@code /ws/room/{room_id}}, renewing its presence leases from now on. */
    @SuppressWarnings("exports") // the engine's own types: only the engine can call this
    public static EndpointHandler endpoint(EndpointContext context, RoomStore store, RoomPolicy policy) {
        return new RoomEndpoint(context, store, policy).start();
    }
}

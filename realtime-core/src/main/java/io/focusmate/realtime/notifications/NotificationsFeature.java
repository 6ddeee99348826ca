package io.focusmate.realtime.notifications;

import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;

/**
 * How a gateway's engine gets the notifications endpoint. Not for application code: its one method takes the
 * engine's internal context; configure notifications through {@code Gateway.Builder}.
 */
public final class NotificationsFeature {
    private NotificationsFeature() {
    }

    /** The endpoint of {@code /api/v1/notifications/ws}. */
    @SuppressWarnings("exports") // the engine's own types: only the engine can call this
    public static EndpointHandler endpoint(EndpointContext context, ChannelAuthorizer authorizer,
                                           NotificationHistory history) {
        return new NotificationsEndpoint(context, authorizer, history);
    }
}

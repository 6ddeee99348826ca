package io.focusmate.realtime.launcher;

import io.focusmate.realtime.notify.NotificationPublisher;

/** The HTTP publish API, for backends that are not Java (to be written). */
final class PublishApi {
    private PublishApi() {
    }

    /** Adds the publish routes; with a null key the API is off. */
    static void register(HttpRoutes routes, NotificationPublisher publisher, String apiKey, int maxBytes) {
        // written in the publish-api branch
    }
}

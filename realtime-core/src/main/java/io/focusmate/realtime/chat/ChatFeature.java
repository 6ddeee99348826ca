package io.focusmate.realtime.chat;

import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;

/**
 * How a gateway's engine gets the chat endpoint. Not for application code: its one method takes the engine's
 * internal context; configure chat through {@code Gateway.Builder}.
 */
public final class ChatFeature {
    private ChatFeature() {
    }

    /** The endpoint of {@code /api/v1/matching/chat/{room_id}/ws}. */
    @SuppressWarnings("exports") // the engine's own types: only the engine can call this
    public static EndpointHandler endpoint(EndpointContext context, ChatStore store, ChatMembershipPolicy membership) {
        return new ChatEndpoint(context, store, membership);
    }
}

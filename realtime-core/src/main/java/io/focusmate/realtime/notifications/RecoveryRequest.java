package io.focusmate.realtime.notifications;

import java.util.Map;

/**
 * What a notifications handshake asks to recover: {@code since} (the user channel), {@code broadcast_since} and
 * {@code recover=true}. Immutable.
 *
 * @param user the position on the user's channel, or null
 * @param broadcast the position on the broadcast channel, or null
 */
record RecoveryRequest(StreamPosition user, StreamPosition broadcast) {

    /**
     * The request of a handshake's query, or null when it asks for none (the connection behaves as without history).
     *
     * @throws IllegalArgumentException naming the parameter, when one is malformed
     */
    static RecoveryRequest of(Map<String, String> query) {
        String since = query.get("since");
        String broadcastSince = query.get("broadcast_since");
        String recover = query.get("recover");
        if (recover != null && !recover.equals("true") && !recover.equals("false")) {
            throw new IllegalArgumentException("recover must be true or false");
        }
        if (since == null && broadcastSince == null && !"true".equals(recover)) {
            return null;
        }
        return new RecoveryRequest(position("since", since), position("broadcast_since", broadcastSince));
    }

    private static StreamPosition position(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return StreamPosition.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be <epoch>:<offset>, such as h7Qm2Xb1:42 (an epoch is 1 "
                    + "to 32 of A-Z, a-z, 0-9, '_', '-'; an offset a whole number >= 0)");
        }
    }
}

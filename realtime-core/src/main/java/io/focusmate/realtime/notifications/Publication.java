package io.focusmate.realtime.notifications;

/**
 * What one publication to a notification channel got. Immutable.
 *
 * @param channel the logical channel, such as {@code notifications:user:alice}
 * @param position where it landed in the channel's history, or null when the history is off (the frame was only
 *     published live)
 * @param frame the frame exactly as subscribers receive it: with {@code channel}, {@code offset} and {@code epoch}
 *     members when it has a position
 * @param duplicate true when an earlier publication with the same idempotency key was found: nothing was published
 *     this time, and the position (and frame) are the first one's
 */
public record Publication(String channel, StreamPosition position, String frame, boolean duplicate) {
}

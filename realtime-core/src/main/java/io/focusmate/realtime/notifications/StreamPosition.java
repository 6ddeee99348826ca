package io.focusmate.realtime.notifications;

import java.util.regex.Pattern;

/**
 * A place in a channel's notification history: the history's epoch and an offset in it, written
 * {@code <epoch>:<offset>} on the wire ({@code since=h7Qm2Xb1:42}). Offset 0 is "before the first publication".
 * Immutable.
 *
 * @param epoch the history's epoch: 1 to 32 of {@code A-Z a-z 0-9 _ -}, chosen when the history was created; a new
 *     epoch means the history was lost and numbering started again
 * @param offset the offset in that epoch, at least 0
 */
public record StreamPosition(String epoch, long offset) {
    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /**
     * @throws IllegalArgumentException when the epoch or the offset is out of range
     */
    public StreamPosition {
        if (epoch == null || !EPOCH.matcher(epoch).matches()) {
            throw new IllegalArgumentException("an epoch is 1 to 32 of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("an offset is a whole number >= 0");
        }
    }

    /**
     * Reads {@code <epoch>:<offset>}.
     *
     * @throws IllegalArgumentException saying what a position looks like, when it is not one
     */
    public static StreamPosition parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() > 64) {
            throw new IllegalArgumentException("a position is <epoch>:<offset>, such as h7Qm2Xb1:42");
        }
        long offset;
        try {
            offset = Long.parseLong(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a position is <epoch>:<offset>, such as h7Qm2Xb1:42");
        }
        return new StreamPosition(text.substring(0, colon), offset);
    }

    @Override
    public String toString() {
        return epoch + ":" + offset;
    }
}

package io.focusmate.realtime.client;

import java.util.Objects;

/**
 * A position in a notification channel's history: the history's {@code epoch} and an {@code offset} in it, written
 * {@code epoch:offset} on the wire ({@code h7Qm2Xb1:42}). Immutable.
 *
 * @param epoch the history's epoch, 1 to 32 of {@code A-Z a-z 0-9 _ -}
 * @param offset the offset, 0 or more (0: nothing published yet in this epoch)
 */
public record Position(String epoch, long offset) {
    /** Checks the members. */
    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (!epoch.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("an epoch is 1 to 32 of A-Z a-z 0-9 _ -: " + epoch);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("an offset is 0 or more: " + offset);
        }
    }

    /** Reads {@code epoch:offset}, as {@link #toString()} writes it. */
    public static Position parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a position is <epoch>:<offset>: " + text);
        }
        try {
            return new Position(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a position is <epoch>:<offset>: " + text, e);
        }
    }

    /** Whether {@code other} is this position or an older one of the same epoch: a frame already seen. */
    public boolean covers(Position other) {
        return epoch.equals(other.epoch) && other.offset <= offset;
    }

    /** {@code epoch:offset}, the form of the {@code since} and {@code broadcast_since} query parameters. */
    @Override
    public String toString() {
        return epoch + ":" + offset;
    }
}

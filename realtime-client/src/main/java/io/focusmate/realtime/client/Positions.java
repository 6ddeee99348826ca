package io.focusmate.realtime.client;

/**
 * The newest positions a notifications connection holds, one per channel: the user's own channel and
 * {@code notifications:broadcast}. Either is {@code null} until the client has learned it. Immutable.
 *
 * <p>Persist them (with {@link Position#toString()}) and hand them back with
 * {@link RealtimeClient.Builder#positions(Positions)}, so that a restarted process resumes where it was.
 *
 * @param user the position on {@code notifications:user:{user_id}}, or {@code null}
 * @param broadcast the position on {@code notifications:broadcast}, or {@code null}
 */
public record Positions(Position user, Position broadcast) {
    private static final Positions NONE = new Positions(null, null);

    /** No position yet: the first connect asks for {@code recover=true}. */
    public static Positions none() {
        return NONE;
    }

    /** Whether neither position is known. */
    public boolean isEmpty() {
        return user == null && broadcast == null;
    }

    /** These positions with the user channel's replaced. */
    public Positions withUser(Position position) {
        return new Positions(position, broadcast);
    }

    /** These positions with the broadcast channel's replaced. */
    public Positions withBroadcast(Position position) {
        return new Positions(user, position);
    }
}

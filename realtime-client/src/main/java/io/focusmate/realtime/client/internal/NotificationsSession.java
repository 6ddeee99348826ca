package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.NotificationsListener;
import io.focusmate.realtime.client.Position;
import io.focusmate.realtime.client.Positions;
import java.util.List;
import java.util.Optional;

/**
 * One notifications connection (docs/protocol.md sections 4 to 6): resumes from its positions ({@link RecoveryBook}),
 * reports gaps, drops frames already delivered. The connection's life is its {@link Session}'s.
 */
public final class NotificationsSession implements NotificationsConnection, Session.Protocol {
    private static final String PATH = "/api/v1/notifications/ws";

    private final Session session;
    private final NotificationsListener listener;
    /** The positions; written on the event thread only, readable anywhere. */
    private final RecoveryBook book;

    /** A connection that starts at once, from {@code initial} positions. */
    public NotificationsSession(ClientContext context, NotificationsListener listener, Positions initial) {
        this.listener = listener;
        this.book = new RecoveryBook(initial);
        this.session = new Session(context, listener);
        session.start(this);
    }

    @Override
    public ConnectionState state() {
        return session.state();
    }

    @Override
    public Positions positions() {
        return book.positions();
    }

    @Override
    public void reconnectNow() {
        session.reconnectNow();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String query() {
        return book.resumeQuery();
    }

    @Override
    public void frame(String type, String text, JsonNode json) {
        if (type.equals("connected")) {
            session.established();
            List<String> gaps = book.connected(json.path("user_id").asText(), json.path("recovery"));
            gaps.forEach(channel -> session.emit(() -> listener.onGap(channel)));
            return;
        }
        Frame frame = new Frame(type, text, json);
        Optional<String> channel = frame.channel();
        Optional<Position> position = frame.position();
        if (channel.isPresent() && position.isPresent() && !book.accept(channel.get(), position.get())) {
            return; // already delivered: a replay overlapping what this client had
        }
        session.emit(() -> listener.onFrame(frame));
    }
}

package io.focusmate.realtime.launcher;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed in reverse order when the test ends (from its {@code @AfterEach}). Test thread only. */
final class Closer implements AutoCloseable {
    /** Test thread only: what was opened, oldest first. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Registers {@code closeable} to be closed after the test; returns it. */
    <T extends AutoCloseable> T add(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Registers each of {@code closeables}, in order. */
    void addAll(List<? extends AutoCloseable> closeables) {
        opened.addAll(closeables);
    }

    /** Closes everything registered, newest first, and forgets it. */
    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}

package io.focusmate.examples.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/embedding.md quotes the examples' code: each block after a {@code <!-- from PATH -->} line must still be in
 * that file, word for word (the whole block shifted by one indentation), so that the guide and the examples never
 * drift apart.
 */
class EmbeddingGuideTest {
    /** The repository root, from this module's directory (where Maven runs the tests). */
    private static final Path ROOT = Path.of("..", "..");
    private static final Pattern QUOTE = Pattern.compile("<!-- from (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```",
            Pattern.DOTALL);

    @Test
    void everyBlockTheGuideQuotesIsStillInItsFileWordForWord() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/embedding.md"));
        Matcher quote = QUOTE.matcher(guide);
        int quotes = 0;
        while (quote.find()) {
            quotes++;
            Path source = ROOT.resolve(quote.group(1));
            assertTrue(Files.isRegularFile(source), "docs/embedding.md quotes a missing file: " + quote.group(1));
            List<String> block = quote.group(2).lines().toList();
            assertTrue(contains(Files.readAllLines(source), block),
                    "docs/embedding.md quotes " + quote.group(1) + ", which no longer has:\n" + quote.group(2));
        }
        assertTrue(quotes >= 10, "the guide quotes the examples' setup; found only " + quotes + " quotes");
    }

    @Test
    void aBlockIsFoundOnlyWhenItsLinesFollowEachOtherWithOneIndentation() {
        List<String> file = List.of("class A {", "    void run() {", "        go();", "    }", "}");
        assertTrue(contains(file, List.of("void run() {", "    go();", "}")));
        assertFalse(contains(file, List.of("void run() {", "go();", "}")), "the indentation changed");
        assertFalse(contains(file, List.of("class A {", "}")), "lines in between are left out");
        assertTrue(contains(file, List.of("go();")), "a single line");
    }

    /** Whether {@code block} is in {@code file} as consecutive lines, every non-blank one with the same extra indent. */
    static boolean contains(List<String> file, List<String> block) {
        String first = block.get(0);
        for (int start = 0; start + block.size() <= file.size(); start++) {
            String line = file.get(start);
            if (!line.endsWith(first) || !line.substring(0, line.length() - first.length()).isBlank()) {
                continue;
            }
            String indent = line.substring(0, line.length() - first.length());
            boolean all = true;
            for (int i = 0; i < block.size() && all; i++) {
                String expected = block.get(i).isEmpty() ? "" : indent + block.get(i);
                all = file.get(start + i).stripTrailing().equals(expected);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}

package io.focusmate.realtime.launcher;

import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based test runner: a property is a generator and a check, run a fixed number of times on inputs
 * drawn from one seeded {@link Random}. Each run draws new inputs (the seed is the clock's); a failure names the try,
 * the seed and the input, and {@code -Dfuzz.seed=N} replays the same inputs. No shrinking: generators keep inputs
 * small enough to read. realtime-core's tests hold the same runner (they cannot use the launcher's).
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** A check of one input: returns normally when the property holds. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    /** Checks {@code tries} inputs from {@code generator}; throws an AssertionError at the first that fails. */
    public static <T> void forAll(int tries, Function<Random, T> generator, Check<T> check) {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int i = 1; i <= tries; i++) {
            T input = generator.apply(random);
            try {
                check.accept(input);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("falsified at try " + i + " of " + tries + " (replay: -Dfuzz.seed=" + seed
                        + ") by " + describe(input) + ": " + e, e);
            }
        }
    }

    /** The input as Java would write it, control characters and lone surrogates escaped, cut to 600 characters. */
    public static String describe(Object input) {
        String text = String.valueOf(input);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 600; i++) {
            char c = text.charAt(i);
            boolean printable = c >= 0x20 && c < 0x7F || c > 0x9F && !Character.isSurrogate(c);
            out.append(printable ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > 600 ? out + "...(" + text.length() + " chars)" : out.toString();
    }
}

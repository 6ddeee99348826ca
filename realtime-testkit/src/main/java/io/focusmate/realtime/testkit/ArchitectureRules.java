package io.focusmate.realtime.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's house rules, checked on a module's classes and sources: no two classes depend on each other both
 * ways, and no class or method grows past a size. Usable on a module of your own. Stateless.
 */
public final class ArchitectureRules {
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");
    private static final Pattern METHOD_START = Pattern.compile(
            "^( +)(?!if\\b|for\\b|while\\b|switch\\b|catch\\b|synchronized\\b|try\\b|else\\b|do\\b|return\\b|new\\b)"
                    + "[\\w<>\\[\\], ?.@]+\\s+\\w+\\s*\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{\\s*$");

    private ArchitectureRules() {
    }

    /**
     * Fails, naming the pairs, when two top-level classes of the module that holds {@code anyClass} refer to each
     * other (nested classes count as their top-level class; a callback interface nested in the callee is the way
     * out).
     */
    public static void assertNoTwoWayDependencies(Class<?> anyClass) {
        Map<String, Set<String>> deps = dependencies(codeRoot(anyClass));
        Set<String> pairs = new TreeSet<>();
        deps.forEach((from, targets) -> targets.forEach(to -> {
            if (from.compareTo(to) < 0 && deps.getOrDefault(to, Set.of()).contains(from)) {
                pairs.add(from + " <-> " + to);
            }
        }));
        if (!pairs.isEmpty()) {
            throw new AssertionError("Classes that depend on each other both ways:\n  " + String.join("\n  ", pairs));
        }
    }

    /** Fails, naming each, when a source file is over {@code maxClassLines} or a method over {@code maxMethodLines}. */
    public static void assertSizes(Path sourceRoot, int maxClassLines, int maxMethodLines) {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                String name = sourceRoot.relativize(file).toString();
                if (lines.size() > maxClassLines) {
                    problems.add(name + ": " + lines.size() + " lines (at most " + maxClassLines + ")");
                }
                methodLengths(lines).forEach((method, length) -> {
                    if (length > maxMethodLines) {
                        problems.add(name + ": " + method + " is " + length + " lines (at most " + maxMethodLines + ")");
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Too large:\n  " + String.join("\n  ", problems));
        }
    }

    /** The length in lines of each method and constructor, by its first line. */
    static Map<String, Integer> methodLengths(List<String> lines) {
        Map<String, Integer> lengths = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = METHOD_START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            String close = start.group(1) + "}";
            for (int j = i + 1; j < lines.size(); j++) {
                if (lines.get(j).equals(close)) {
                    lengths.put(lines.get(i).strip(), j - i + 1);
                    break;
                }
            }
        }
        return lengths;
    }

    private static Path codeRoot(Class<?> anyClass) {
        try {
            return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anyClass, e);
        }
    }

    /** For each top-level class under {@code root}, the other top-level classes under it that it refers to. */
    private static Map<String, Set<String>> dependencies(Path root) {
        Map<String, Set<String>> raw = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    raw.computeIfAbsent(topLevel(name), k -> new HashSet<>()).addAll(referencedClasses(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> deps = new HashMap<>();
        raw.forEach((from, refs) -> {
            Set<String> targets = new TreeSet<>();
            for (String ref : refs) {
                String to = topLevel(ref);
                if (!to.equals(from) && raw.containsKey(to)) {
                    targets.add(to);
                }
            }
            deps.put(from, targets);
        });
        return deps;
    }

    private static String topLevel(String internalName) {
        int nested = internalName.indexOf('$');
        return nested < 0 ? internalName : internalName.substring(0, nested);
    }

    /** The classes a class file's constant pool names, directly or in descriptors and signatures. */
    private static Set<String> referencedClasses(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        data.readInt();
        data.readUnsignedShort();
        data.readUnsignedShort();
        int count = data.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = data.readUTF();
                case 7 -> classIndexes.add(data.readUnsignedShort());
                case 8, 16, 19, 20 -> data.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> data.readInt();
                case 5, 6 -> {
                    data.readLong();
                    i++;
                }
                case 15 -> {
                    data.readUnsignedByte();
                    data.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> names = new HashSet<>();
        for (int index : classIndexes) {
            names.add(utf8[index].replaceAll("^\\[+L?|;$", ""));
        }
        for (String text : utf8) {
            if (text != null) {
                Matcher m = TYPE_IN_DESCRIPTOR.matcher(text);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}

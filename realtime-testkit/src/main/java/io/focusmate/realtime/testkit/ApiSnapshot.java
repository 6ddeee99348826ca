package io.focusmate.realtime.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pins a module's public API, as OkHttp and Javalin do: every public type of the packages its
 * {@code module-info} exports to everyone, and every public or protected member of those types ({@code Type#member}),
 * one line each, compared with a checked-in file. A change to the API fails the build with the lines added and removed,
 * until the file is updated on purpose: run the tests with {@code -Dapi.update=true} and check the file in.
 *
 * <p>Use it for a module of your own (a {@code PubSub} of your broker, say) in one test:
 * {@code ApiSnapshot.assertMatches(MyPubSub.class, Path.of("api", "my-pubsub.api"))}. Stateless.
 */
public final class ApiSnapshot {
    private ApiSnapshot() {
    }

    /**
     * The public API of the module that holds {@code anyClass}, one line per type and member, sorted.
     *
     * @throws IllegalStateException when that module has no {@code module-info.class}
     */
    public static List<String> of(Class<?> anyClass) {
        Path root = codeRoot(anyClass);
        if (Files.isDirectory(root)) {
            return list(root, anyClass.getClassLoader());
        }
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
            return list(jar.getPath("/"), anyClass.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many public types {@link #of} lists. */
    public static long typeCount(List<String> api) {
        return api.stream().filter(line -> !line.contains("#")).count();
    }

    /**
     * Fails, with the lines added and removed, when the API of the module that holds {@code anyClass} differs from
     * {@code snapshot}; with {@code -Dapi.update=true}, writes the snapshot instead.
     */
    public static void assertMatches(Class<?> anyClass, Path snapshot) {
        List<String> actual = of(anyClass);
        try {
            if (Boolean.getBoolean("api.update")) {
                Files.createDirectories(snapshot.toAbsolutePath().getParent());
                Files.write(snapshot, actual, StandardCharsets.UTF_8);
                return;
            }
            List<String> expected = Files.exists(snapshot) ? Files.readAllLines(snapshot) : List.of();
            if (!expected.equals(actual)) {
                throw new AssertionError(diff(snapshot, expected, actual));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String diff(Path snapshot, List<String> expected, List<String> actual) {
        Set<String> added = new TreeSet<>(actual);
        expected.forEach(added::remove);
        Set<String> removed = new TreeSet<>(expected);
        actual.forEach(removed::remove);
        StringBuilder out = new StringBuilder("The public API changed (" + snapshot + " is the checked-in one).\n");
        removed.forEach(line -> out.append("- ").append(line).append('\n'));
        added.forEach(line -> out.append("+ ").append(line).append('\n'));
        return out.append("If the change is meant, run the tests with -Dapi.update=true and check the file in.")
                .toString();
    }

    private static Path codeRoot(Class<?> anyClass) {
        try {
            return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anyClass, e);
        }
    }

    private static List<String> list(Path root, ClassLoader loader) {
        Path descriptor = root.resolve("module-info.class");
        if (!Files.exists(descriptor)) {
            throw new IllegalStateException("no module-info.class in " + root + ": the API is what a module exports");
        }
        Set<String> exported;
        try (InputStream in = Files.newInputStream(descriptor)) {
            exported = ModuleDescriptor.read(in).exports().stream().filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new ArrayList<>();
        for (String pkg : new TreeSet<>(exported)) {
            Path dir = root.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                        .sorted().toList();
                for (String file : names) {
                    describe(load(pkg + "." + file.substring(0, file.length() - 6), loader), lines);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void describe(Class<?> type, List<String> lines) {
        if (!isVisible(type)) {
            return;
        }
        lines.add(type.getName() + " " + kind(type));
        Set<String> members = new TreeSet<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isApi(c)) {
                members.add(type.getName() + "#" + c.toGenericString().replace(type.getName() + "(", "<init>("));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isApi(m) && !m.isBridge()) {
                members.add(type.getName() + "#" + m.toGenericString().replace(type.getName() + ".", ""));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (isApi(f)) {
                members.add(type.getName() + "#" + f.toGenericString().replace(type.getName() + ".", ""));
            }
        }
        lines.addAll(members);
    }

    /** A top-level public type, or a public or protected one nested in a visible type. */
    private static boolean isVisible(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        int mods = type.getModifiers();
        if (type.getEnclosingClass() == null) {
            return Modifier.isPublic(mods);
        }
        return (Modifier.isPublic(mods) || Modifier.isProtected(mods)) && isVisible(type.getEnclosingClass());
    }

    private static boolean isApi(Member member) {
        int mods = member.getModifiers();
        boolean reachable = Modifier.isPublic(mods)
                || Modifier.isProtected(mods) && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
        return reachable && !member.isSynthetic();
    }

    private static String kind(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        String mods = Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.STATIC);
        String supers = Stream.concat(Stream.ofNullable(type.getGenericSuperclass()).map(Object::toString)
                        .filter(s -> !s.equals("class java.lang.Object") && !s.startsWith("java.lang.Enum")
                                && !s.equals("class java.lang.Record")),
                Stream.of(type.getGenericInterfaces()).map(Object::toString))
                .map(s -> s.replaceFirst("^(class|interface) ", "")).collect(Collectors.joining(", "));
        return (mods.isEmpty() ? "" : mods + " ") + kind + (supers.isEmpty() ? "" : " : " + supers);
    }
}

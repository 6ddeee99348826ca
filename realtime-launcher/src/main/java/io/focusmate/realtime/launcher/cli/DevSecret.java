package io.focusmate.realtime.launcher.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The development-mode secrets: the JWT secret, shared by {@code serve} and {@code token}, and the publish API key,
 * shared by {@code serve} and {@code publish}, on the same machine. Each is generated once, at random, into a file
 * only the user can read. They are never printed or logged; only their paths are.
 */
public final class DevSecret {
    private DevSecret() {
    }

    /** {@code $XDG_CONFIG_HOME/focusmate-realtime/dev-jwt-secret}, or under {@code ~/.config}. */
    static Path defaultPath(Map<String, String> env) {
        return directory(env).resolve("dev-jwt-secret");
    }

    /** {@code $XDG_CONFIG_HOME/focusmate-realtime/dev-api-key}, or under {@code ~/.config}. */
    static Path apiKeyPath(Map<String, String> env) {
        return directory(env).resolve("dev-api-key");
    }

    private static Path directory(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("focusmate-realtime");
    }

    /** Reads the secret, creating it first when the file does not exist. */
    static String loadOrCreate(Path file) throws ConfigException {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] random = new byte[48];
                new SecureRandom().nextBytes(random);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException e) {
                    return read(file);
                }
                Files.writeString(file, secret, StandardCharsets.UTF_8);
                return secret;
            }
            return read(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the development secret at " + file + " ("
                    + e.getMessage() + "); set JWT_SECRET_KEY (and REALTIME_API_KEY) instead");
        }
    }

    private static String read(Path file) throws IOException, ConfigException {
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException("the development secret in " + file
                    + " is too short; delete the file to generate a new one, or set JWT_SECRET_KEY");
        }
        return secret;
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Checks a configured file path before the handler uses it, so that bad input fails at configuration time with a
 * message naming the property and the value. Only a path that passes every check gets its missing parent
 * directories created.
 */
final class PathValidator {

    private PathValidator() {
    }

    /**
     * @return the absolute path, with its directory resolved to its real path so that every spelling of the same file
     *         maps to one key
     * @throws IllegalArgumentException if the value is empty, names a directory, or its directory is unusable
     */
    static Path writableFile(String property, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(property, value, "it is empty");
        }
        Path path;
        try {
            path = Paths.get(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(property, value, "it is not a valid path (" + e.getMessage() + ")");
        }
        Path name = path.getFileName();
        Path parent = path.getParent();
        if (name == null || parent == null) {
            throw invalid(property, value, "it names no file");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw invalid(property, value, "it is a directory");
        }
        if (Files.isSymbolicLink(path)) {
            throw invalid(property, value, "it is a symbolic link; the handler never writes through links");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw invalid(property, value, "it is not a regular file");
        }
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw invalid(property, value, existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw invalid(property, value, "directory " + existing + " is not writable by this process");
        }
        try {
            Files.createDirectories(parent);
            return parent.toRealPath().resolve(name);
        } catch (IOException e) {
            throw invalid(property, value, "its directory cannot be created (" + e + ")");
        }
    }

    private static IllegalArgumentException invalid(String property, String value, String why) {
        return new IllegalArgumentException(
                "Invalid value for property \"" + property + "\": \"" + value + "\": " + why);
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

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
        if (value == null || value.isBlank()) {
            throw InvalidValue.of(property, value, "it is empty");
        }
        Path path;
        try {
            path = Paths.get(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw InvalidValue.of(property, value, "it is not a valid path (" + e.getMessage() + ")");
        }
        Path name = path.getFileName();
        Path parent = path.getParent();
        if (name == null || parent == null) {
            throw InvalidValue.of(property, value, "it names no file");
        }
        // one look at the file: other processes rotate it at any moment, and a file renamed away between two looks
        // must not make a valid value look like something that is not a regular file
        BasicFileAttributes attributes = null;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // missing (created with the first record), or unreadable: the checks below and the first write tell
        }
        if (attributes != null && !attributes.isRegularFile()) {
            throw InvalidValue.of(property, value, attributes.isDirectory() ? "it is a directory"
                    : attributes.isSymbolicLink() ? "it is a symbolic link; the handler never writes through links"
                    : "it is not a regular file");
        }
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw InvalidValue.of(property, value, existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw InvalidValue.of(property, value, "directory " + existing + " is not writable by this process");
        }
        List<Path> created = new ArrayList<>();
        try {
            createMissingDirectories(existing, parent, created);
            Path file = parent.toRealPath().resolve(name);
            try {
                // a name the file system refuses (too long) fails here, not at the first record
                Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                // the usual case: the file is created when the first record is written
            }
            return file;
        } catch (IOException e) {
            // a refused value leaves nothing behind: remove the directories made for it, deepest first
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(created.get(i));
                } catch (IOException ignored) {
                    // another process put something in it meanwhile; it is theirs now
                }
            }
            throw InvalidValue.of(property, value, "it cannot be created (" + e + ")");
        }
    }

    /** Creates the directories from {@code existing} down to {@code parent}, adding each one made to {@code created}. */
    private static void createMissingDirectories(Path existing, Path parent, List<Path> created) throws IOException {
        if (existing.equals(parent)) {
            return;
        }
        Path dir = existing;
        for (Path name : existing.relativize(parent)) {
            dir = dir.resolve(name);
            try {
                Files.createDirectory(dir);
                created.add(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
    }
}

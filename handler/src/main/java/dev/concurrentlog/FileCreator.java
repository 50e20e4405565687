package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the files the handler owns (the log, the lock file) with the configured POSIX permissions from the first
 * moment they exist. The permissions are passed to the create call itself ({@code O_CREAT|O_EXCL}, which never
 * follows a link); the process umask can only narrow them, so they are set once more, exactly, right after creation,
 * without following links. The file never exists with wider permissions than asked for.
 */
final class FileCreator {

    /** Creates files with the platform's defaults (umask). */
    static final FileCreator DEFAULT = new FileCreator(null);

    private final Set<PosixFilePermission> permissions;

    private FileCreator(Set<PosixFilePermission> permissions) {
        this.permissions = permissions;
    }

    /**
     * @param property the property name, for the error message
     * @param text     permissions as {@code ls -l} prints them, e.g. {@code rw-r-----}; null or blank for the default
     * @throws IllegalArgumentException naming the property and the value if the text is not valid here
     */
    static FileCreator parse(String property, String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        Set<PosixFilePermission> parsed;
        try {
            parsed = PosixFilePermissions.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidValue.of(property, text,
                    "expected nine characters like rw-r----- (r, w, x or - for owner, group and others)", e);
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw InvalidValue.of(property, text, "this file system has no POSIX permissions");
        }
        if (!parsed.contains(PosixFilePermission.OWNER_READ) || !parsed.contains(PosixFilePermission.OWNER_WRITE)) {
            throw InvalidValue.of(property, text,
                    "the owner needs read and write permission (rw-------) to log and to lock");
        }
        return new FileCreator(Set.copyOf(parsed));
    }

    /** @return the permissions as {@code ls -l} prints them, or null for the platform default */
    String describe() {
        return permissions == null ? null : PosixFilePermissions.toString(permissions);
    }

    /**
     * Creates {@code file} if it does not exist. Returns quietly when it already exists (another process may have
     * created it first).
     *
     * @return true if this call created the file
     */
    boolean createIfMissing(Path file) throws IOException {
        try {
            if (permissions == null) {
                Files.createFile(file);
            } else {
                FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(permissions);
                Files.createFile(file, attribute);
                // exact permissions, on the file just created: a link put in its place meanwhile is not followed
                Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(permissions);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Shifts {@code name} to {@code name.1}, {@code name.1} to {@code name.2} and so on; the backup beyond
 * {@code maxBackupIndex} is deleted. Called only while the file lock is held and the log is closed by this process.
 * <p>
 * Every slot is checked before anything moves: a slot held by something that is not a regular file (a directory, a
 * link) makes the whole rotation fail with nothing moved, so the caller keeps writing to the current file.
 */
final class BackupRotator {

    private BackupRotator() {
    }

    static Path backup(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /**
     * @throws IOException if a slot is in the way or the file system refuses a delete or a rename; what was already
     *                     moved stays moved (every record is still in exactly one file), and the caller retries later
     */
    static void rotate(Path file, int maxBackupIndex) throws IOException {
        if (maxBackupIndex < 1) {
            throw new IllegalArgumentException("maxBackupIndex " + maxBackupIndex);
        }
        for (int index = 1; index <= maxBackupIndex; index++) {
            requireRegularOrAbsent(backup(file, index));
        }
        Files.deleteIfExists(backup(file, maxBackupIndex));
        for (int index = maxBackupIndex - 1; index >= 1; index--) {
            Path source = backup(file, index);
            if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(source, backup(file, index + 1));
            }
        }
        Files.move(file, backup(file, 1));
    }

    private static void requireRegularOrAbsent(Path slot) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(slot, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : attributes.isSymbolicLink() ? "a symbolic link"
                    : "not a regular file";
            throw new IOException("Backup slot " + slot + " is " + kind + "; rotation postponed until it is removed");
        }
    }
}

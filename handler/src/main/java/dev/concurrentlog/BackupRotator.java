package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.NavigableSet;
import java.util.TreeSet;

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
        // One directory listing finds the backups that exist, so a rotation costs what is there, not maxBackupIndex.
        NavigableSet<Integer> present = existingBackups(file, maxBackupIndex);
        for (int index : present) {
            requireRegular(backup(file, index));
        }
        if (present.remove(maxBackupIndex)) {
            Files.delete(backup(file, maxBackupIndex));
        }
        for (int index : present.descendingSet()) {
            Files.move(backup(file, index), backup(file, index + 1));
        }
        Files.move(file, backup(file, 1));
    }

    /** The indices from 1 to {@code maxBackupIndex} for which {@code NAME.index} exists, in any form. */
    private static NavigableSet<Integer> existingBackups(Path file, int maxBackupIndex) throws IOException {
        String prefix = file.getFileName() + ".";
        NavigableSet<Integer> present = new TreeSet<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(),
                sibling -> sibling.getFileName().toString().startsWith(prefix))) {
            for (Path sibling : siblings) {
                int index = parseIndex(sibling.getFileName().toString().substring(prefix.length()));
                if (index >= 1 && index <= maxBackupIndex) {
                    present.add(index);
                }
            }
        }
        return present;
    }

    /** @return the backup index the suffix names (digits, no leading zero), or -1 */
    private static int parseIndex(String suffix) {
        if (suffix.isEmpty() || suffix.length() > 10 || suffix.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (suffix.charAt(i) < '0' || suffix.charAt(i) > '9') {
                return -1;
            }
        }
        long index = Long.parseLong(suffix);
        return index > Integer.MAX_VALUE ? -1 : (int) index;
    }

    private static void requireRegular(Path slot) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(slot, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : attributes.isSymbolicLink() ? "a symbolic link"
                    : "not a regular file";
            throw new IOException("Backup slot " + slot + " is " + kind + "; rotation postponed until it is removed");
        }
    }
}

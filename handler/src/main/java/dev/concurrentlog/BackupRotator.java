package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The backups of a log file: their names, rotation into them, and how long they are kept. Names are those of WildFly's
 * periodic-size handler: a time rotation moves {@code NAME} to {@code NAME<date>}, a size rotation shifts
 * {@code NAME<date>.1} (newest) up to {@code NAME<date>.<maxBackupIndex>} and moves {@code NAME} to
 * {@code NAME<date>.1}; without a suffix the date part is empty ({@code NAME.1}). A compressed backup carries its
 * extension after the index ({@code NAME<date>.1.gz}); a slot holds a backup in either form, and both move together.
 * <p>
 * Called only while the file lock is held and the log is closed by this process. Every slot is checked before anything
 * moves: a slot held by something that is not a regular file (a directory, a link) makes the whole rotation fail with
 * nothing moved, so the caller keeps writing to the current file.
 */
final class BackupRotator {

    /** Ends the name a size rotation parks the file at until its backups are shifted (see {@link SizeRotation}). */
    static final String PARKED = ".rotating";

    private BackupRotator() {
    }

    /** {@code NAME.index}: a size backup of a log without a suffix. */
    static Path backup(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /**
     * Plans a size rotation ({@code base.1} to {@code base.2} and so on, the slot beyond {@code maxBackupIndex}
     * deleted, then the file to {@code base.1}; see {@link SizeRotation}): one directory listing finds the slots in
     * use (so a rotation costs what is there, not {@code maxBackupIndex}) and checks them. A file still parked by a
     * rotation whose process died before finishing it is finished first.
     *
     * @throws IOException if a slot is in the way (nothing has moved then), or finishing a parked file failed
     */
    static SizeRotation planBySize(Path file, String base, int maxBackupIndex) throws IOException {
        if (maxBackupIndex < 1) {
            throw new IllegalArgumentException("maxBackupIndex " + maxBackupIndex);
        }
        Path parked = file.resolveSibling(base + PARKED);
        if (attributes(parked) != null) {
            requireRegular(parked);
            new SizeRotation(parked, base, maxBackupIndex, slotsInUse(file, base, maxBackupIndex)).finish();
        }
        return new SizeRotation(file, base, maxBackupIndex, slotsInUse(file, base, maxBackupIndex));
    }

    /**
     * Finishes every size rotation of {@code file} whose process died between parking the file and finishing (see
     * {@link SizeRotation}), whatever the date part of its backups that {@code suffix} makes.
     */
    static void finishParked(Path file, RotationSuffix suffix, int maxBackupIndex) throws IOException {
        String name = file.getFileName().toString();
        for (Path sibling : siblings(file, name)) {
            String parked = sibling.getFileName().toString();
            String date = parked.endsWith(PARKED) ? parked.substring(name.length(), parked.length() - PARKED.length())
                    : null;
            // NAME.rotating or NAME<date>.rotating, not another log's (app.log-audit.rotating)
            if (date != null && (date.isEmpty() || suffix.isDateText(date)) && maxBackupIndex >= 1) {
                String base = name + date;
                requireRegular(sibling);
                new SizeRotation(sibling, base, maxBackupIndex, slotsInUse(file, base, maxBackupIndex)).finish();
            }
        }
    }

    private static NavigableMap<Integer, List<Path>> slotsInUse(Path file, String base, int maxBackupIndex)
            throws IOException {
        NavigableMap<Integer, List<Path>> inSlots = new TreeMap<>();
        for (Path sibling : siblings(file, base)) {
            Name name = Name.parse(sibling.getFileName().toString(), base);
            if (name.rest.isEmpty() && name.index >= 1 && name.index <= maxBackupIndex) {
                inSlots.computeIfAbsent(name.index, index -> new ArrayList<>(1)).add(sibling);
            }
        }
        for (List<Path> slot : inSlots.values()) {
            for (Path backup : slot) {
                requireRegular(backup);
            }
        }
        return inSlots;
    }

    /**
     * A size rotation in two steps, so that appends wait only for the first. {@link #park()} moves the file to
     * {@code base.rotating}, one rename while no process appends; {@link #finish()} then shifts the backups up one slot
     * and moves the parked file to {@code base.1}, while the others append to the new file. Both run under the OS
     * lock, so no other process moves a backup between them; if this process dies between them, the next rotation
     * (or the next JVM to start writing) finishes.
     */
    static final class SizeRotation {

        private final Path newest;
        private final String base;
        private final int maxBackupIndex;
        private final NavigableMap<Integer, List<Path>> inSlots;
        private final Path parked;

        private SizeRotation(Path newest, String base, int maxBackupIndex, NavigableMap<Integer, List<Path>> inSlots) {
            this.newest = newest;
            this.base = base;
            this.maxBackupIndex = maxBackupIndex;
            this.inSlots = inSlots;
            this.parked = newest.resolveSibling(base + PARKED);
        }

        /** Moves the file to its parked name, which the plan found free. */
        void park() throws IOException {
            shift(newest, parked);
        }

        /**
         * Shifts up one slot the backups found in the run of used slots from {@code .1} (the one at
         * {@code maxBackupIndex} deleted, if the run reaches it), and moves the parked file to {@code base.1}. Slots
         * above a free one stay: so a finish cut short and done again shifts only what it had not shifted yet.
         */
        Path finish() throws IOException {
            int runEnd = 0;
            while (inSlots.containsKey(runEnd + 1)) {
                runEnd++;
            }
            for (Map.Entry<Integer, List<Path>> slot : inSlots.headMap(runEnd, true).descendingMap().entrySet()) {
                int index = slot.getKey();
                for (Path backup : slot.getValue()) {
                    if (index == maxBackupIndex) {
                        Files.deleteIfExists(backup);
                    } else {
                        String extension = Name.parse(backup.getFileName().toString(), base).extension;
                        shift(backup, backup.resolveSibling(base + "." + (index + 1) + extension));
                    }
                }
            }
            Path backup = parked.resolveSibling(base + ".1");
            shift(parked, backup);
            return backup;
        }
    }

    /**
     * A time rotation: the file to {@code base}. A backup already there, in either form, is from an earlier turn of a
     * cyclic suffix ({@code .EEE}) and is replaced, unless {@code keepExisting}: it was made at the previous boundary
     * (an hour that repeats at a daylight saving fall-back), and then the file goes to the first index above the
     * slots in use, so nothing is replaced.
     *
     * @return the new backup, uncompressed
     */
    static Path rotateByTime(Path file, String base, boolean keepExisting) throws IOException {
        Path backup = file.resolveSibling(base);
        List<Path> existing = new ArrayList<>();
        int highestIndex = 0;
        for (Path sibling : siblings(file, base)) {
            Name name = Name.parse(sibling.getFileName().toString(), base);
            if (!name.rest.isEmpty()) {
                continue; // another base that begins with this one
            }
            if (name.index == 0) {
                existing.add(sibling);
            } else {
                highestIndex = Math.max(highestIndex, name.index);
            }
        }
        for (Path path : existing) {
            requireRegular(path);
        }
        if (!existing.isEmpty()) {
            if (keepExisting) {
                backup = file.resolveSibling(base + "." + (highestIndex + 1));
            } else {
                for (Path path : existing) {
                    Files.deleteIfExists(path);
                }
            }
        }
        requireRegular(backup);
        Files.move(file, backup);
        return backup;
    }

    /**
     * Where the backup that was at {@code backup} is now, if size rotations shifted it up its chain since: the first of
     * the next {@link #SHIFT_SEARCH} slots that holds the file with {@code fileKey}.
     *
     * @return its path, or null if it is not found there (deleted, or shifted further)
     */
    static Path findShifted(Path backup, Object fileKey) throws IOException {
        String name = backup.getFileName().toString();
        int dot = name.lastIndexOf('.');
        int index = dot < 0 ? -1 : parseIndex(name.substring(dot + 1));
        if (index < 1 || fileKey == null) {
            return null;
        }
        for (int next = index + 1; next <= index + SHIFT_SEARCH && next > 0; next++) {
            Path candidate = backup.resolveSibling(name.substring(0, dot + 1) + next);
            BasicFileAttributes attributes = attributes(candidate);
            if (attributes != null && fileKey.equals(attributes.fileKey())) {
                return candidate;
            }
        }
        return null;
    }

    /** How many slots up its chain a backup is looked for once rotations have shifted it. */
    private static final int SHIFT_SEARCH = 64;

    /**
     * The backups of {@code file} under {@code suffix}: every sibling named {@code NAME<date>[.index][.gz|.zip]} whose
     * date part is one the suffix makes (any date, any form).
     */
    static List<Path> backups(Path file, RotationSuffix suffix) throws IOException {
        String fileName = file.getFileName().toString();
        List<Path> backups = new ArrayList<>();
        for (Path sibling : siblings(file, fileName)) {
            Name name = Name.parse(sibling.getFileName().toString(), fileName);
            boolean dated = suffix.isDateText(name.rest) && (name.index > 0 || !name.rest.isEmpty());
            // a date that ends in digits after a dot (.yyyy.MM.dd) reads as a date and an index
            if (dated || name.index > 0 && suffix.isDateText(name.rest + "." + name.index)) {
                backups.add(sibling);
            }
        }
        return backups;
    }

    /**
     * Deletes the backups, in either form, whose name dates them to a period that starts before {@code cutoff}. Only
     * a suffix with a year names one period; a cyclic one ({@code .EEE}) keeps its rolling window and nothing here.
     */
    static void deleteOlderThan(Path file, RotationSuffix suffix, long cutoff) throws IOException {
        String fileName = file.getFileName().toString();
        for (Path backup : backups(file, suffix)) {
            Name name = Name.parse(backup.getFileName().toString(), fileName);
            Long period = suffix.periodNamed(name.rest);
            if (period == null && name.index > 0) {
                period = suffix.periodNamed(name.rest + "." + name.index);
            }
            BasicFileAttributes attributes = attributes(backup);
            if (period != null && period < cutoff && attributes != null && attributes.isRegularFile()) {
                Files.deleteIfExists(backup);
            }
        }
    }

    private static final String[] EXTENSIONS = {"", RotationSuffix.Compression.GZIP.extension,
            RotationSuffix.Compression.ZIP.extension};

    /**
     * A sibling's name read against a base: {@code base + rest + [.index] + [extension]}; {@code rest} is what lies
     * between the base and the index. For backups of one base, {@code rest} is empty.
     */
    private record Name(String rest, int index, String extension) {

        /** {@code name} must begin with {@code base}. */
        static Name parse(String name, String base) {
            String tail = name.substring(base.length());
            String extension = "";
            for (String candidate : EXTENSIONS) {
                if (!candidate.isEmpty() && tail.endsWith(candidate)) {
                    extension = candidate;
                    tail = tail.substring(0, tail.length() - candidate.length());
                }
            }
            int dot = tail.lastIndexOf('.');
            int index = dot < 0 ? -1 : parseIndex(tail.substring(dot + 1));
            return index > 0 ? new Name(tail.substring(0, dot), index, extension) : new Name(tail, 0, extension);
        }
    }

    /** A base's backups and the names beginning with it. */
    private static List<Path> siblings(Path file, String prefix) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(),
                sibling -> sibling.getFileName().toString().startsWith(prefix)
                        && !sibling.getFileName().equals(file.getFileName()))) {
            siblings.forEach(found::add);
        }
        return found;
    }

    /** @return the backup index the text names (digits, no leading zero), or -1 */
    private static int parseIndex(String text) {
        if (text.isEmpty() || text.length() > 10 || text.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        long index = Long.parseLong(text);
        return index > Integer.MAX_VALUE ? -1 : (int) index;
    }

    /** The attributes of {@code path} itself (a link is not followed), or null if nothing is there. */
    static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Renames {@code from} to {@code to}, which the listing showed free: with one {@code rename} call, where
     * {@link Files#move} without options first reads the attributes of both names. Every process moves backups only
     * under the OS lock, and a shift goes from the highest slot down, so the name is still free.
     */
    private static void shift(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void requireRegular(Path slot) throws IOException {
        BasicFileAttributes attributes = attributes(slot);
        if (attributes != null && !attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : attributes.isSymbolicLink() ? "a symbolic link"
                    : "not a regular file";
            throw new IOException("Backup slot " + slot + " is " + kind + "; rotation postponed until it is removed");
        }
    }
}

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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The backups of a log file: their names, rotation into them, and how long they are kept. Names are those of WildFly's
 * periodic-size handler: a time rotation moves {@code NAME} to {@code NAME<date>}, a size rotation shifts
 * {@code NAME<date>.1} (newest) up to {@code NAME<date>.<maxBackupIndex>} and moves {@code NAME} to
 * {@code NAME<date>.1}; without a suffix the date part is empty ({@code NAME.1}). A compressed backup carries its
 * extension after the index ({@code NAME<date>.1.gz}); a slot holds a backup in either form, and both move together.
 * <p>
 * A size rotation has two steps: {@link #park} moves the file aside under the OS lock, while appends are closed, and
 * {@link #finishParked} shifts the chain under the lock on the backups, while the others append and rotate. Everything
 * else that moves or deletes a backup (a time rotation, compression) holds the lock on the backups too. Every slot is
 * checked before anything of its chain moves: a slot held by something that is not a regular file (a directory, a
 * link) fails the shift with nothing moved.
 */
final class BackupRotator {

    /**
     * Ends the name a size rotation parks the file at, before the order it was parked in:
     * {@code NAME<date>.rotating.<sequence>}, until the backups are shifted (a name without a sequence, from an earlier
     * version, counts as parked first).
     */
    static final String PARKED = ".rotating";

    private BackupRotator() {
    }

    /** {@code NAME.index}: a size backup of a log without a suffix. */
    static Path backup(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /**
     * The first step of a size rotation, while appends are closed: one rename, of the file to
     * {@code base.rotating.<sequence>}. The name is the file's own, so the rotation does not wait for an earlier one's
     * shift, and nothing else is looked at: {@link #finishParked} checks the slots and shifts the backups, later,
     * under the lock on the backups.
     *
     * @param sequence larger than that of every file parked before in the chain
     * @return the parked file
     */
    static Path park(Path file, String base, long sequence) throws IOException {
        Path parked = file.resolveSibling(base + PARKED + "." + sequence);
        shift(file, parked);
        return parked;
    }

    /**
     * A sequence above that of every file of {@code file} parked now, found by listing them: for a process without
     * the shared state, whose generation orders the rotations otherwise.
     */
    static long nextParkSequence(Path file, RotationSuffix suffix) throws IOException {
        long highest = -1;
        for (Parked parked : parked(siblings(file, file.getFileName().toString()), file, suffix)) {
            highest = Math.max(highest, parked.sequence());
        }
        return highest + 1;
    }

    /**
     * Finishes every size rotation of {@code file} whose file is parked, under any date part that {@code suffix} makes,
     * oldest first: in each chain the backups in the run of used slots from {@code .1} are shifted up by as many slots
     * as there are parked files (those that pass {@code maxBackupIndex} deleted), and the parked files take the slots
     * freed, the newest {@code .1}. One pass shifts a chain once for every rotation parked since the last pass, however
     * many. Every slot is checked first: one held by something that is not a regular file (a directory, a link) fails
     * the chain with nothing of it moved, and its parked files wait until it is removed. A pass cut short (a process
     * killed) is done again by the next: slots above a gap stay, so nothing is shifted twice. The lock on the backups is
     * held.
     * <p>
     * Only files parked with a sequence below {@code parkedBefore} are taken: a listing may miss a file renamed while it
     * runs, and a file parked earlier must never be missed when a later one is taken. The caller reads the shared
     * generation before this call (a park numbers its file before its rename, and moves the generation on after it);
     * under the OS lock no park is under way, and any sequence will do.
     *
     * @return the new backups of the parked files, uncompressed
     * @throws IOException if a slot is in the way, or a move failed, in any chain (the others are shifted)
     */
    static List<Path> finishParked(Path file, RotationSuffix suffix, int maxBackupIndex, long parkedBefore)
            throws IOException {
        if (maxBackupIndex < 1) {
            throw new IllegalArgumentException("maxBackupIndex " + maxBackupIndex);
        }
        List<Path> siblings = siblings(file, file.getFileName().toString());
        Map<String, List<Parked>> chains = new TreeMap<>();
        for (Parked parked : parked(siblings, file, suffix)) {
            if (parked.sequence() >= parkedBefore) {
                continue;
            }
            chains.computeIfAbsent(parked.base(), base -> new ArrayList<>()).add(parked);
        }
        List<Path> backups = new ArrayList<>();
        IOException failed = null;
        for (Map.Entry<String, List<Parked>> chain : chains.entrySet()) {
            List<Parked> parked = chain.getValue();
            parked.sort(Comparator.comparingLong(Parked::sequence));
            Renames renames = new Renames();
            try {
                finishChain(chain.getKey(), parked, slotsInUse(siblings, chain.getKey(), maxBackupIndex),
                        maxBackupIndex, renames, backups);
            } catch (IOException e) {
                renames.undo(); // a refused slot leaves every backup of the chain under the name it had
                failed = failed == null ? e : failed; // the other chains (other periods) still shift
            }
        }
        if (failed != null) {
            throw failed;
        }
        return backups;
    }

    /** A file a size rotation parked: the base of its chain and its sequence. */
    private record Parked(Path file, String base, long sequence) {
    }

    /** The parked files among {@code siblings} of {@code file}: {@code NAME<date>.rotating[.sequence]}. */
    private static List<Parked> parked(List<Path> siblings, Path file, RotationSuffix suffix) {
        String name = file.getFileName().toString();
        List<Parked> found = new ArrayList<>();
        for (Path sibling : siblings) {
            String text = sibling.getFileName().toString();
            int at = text.lastIndexOf(PARKED);
            if (at < name.length()) {
                continue;
            }
            String after = text.substring(at + PARKED.length());
            long sequence = after.isEmpty() ? Long.MIN_VALUE
                    : after.charAt(0) == '.' ? parseSequence(after.substring(1)) : -1;
            String date = text.substring(name.length(), at);
            // NAME.rotating or NAME<date>.rotating, not another log's (app.log-audit.rotating)
            if (sequence != -1 && (date.isEmpty() || suffix.isDateText(date))) {
                found.add(new Parked(sibling, name + date, sequence));
            }
        }
        return found;
    }

    /** A backup in a slot of its chain: {@code base.index}, plus the extension if it is compressed. */
    private record Slot(int index, Path file, String extension) {
    }

    private static final Comparator<Slot> BY_INDEX = Comparator.comparingInt(Slot::index);

    /**
     * Shifts one chain for its parked files, oldest first. Each pass moves the run of used slots from {@code .1} up by
     * as many slots as there are parked files left, or fewer, to stay below a used slot above a gap (left by a pass cut
     * short); the parked files take the slots freed, the oldest the highest. The loops that rename are methods of their
     * own, so that the JIT compiles each small.
     */
    private static void finishChain(String base, List<Parked> parked, List<Slot> slots, int maxBackupIndex,
            Renames renames, List<Path> backups) throws IOException {
        for (Parked file : parked) {
            requireRegular(file.file());
        }
        List<Slot> inSlots = slots;
        int next = 0;
        while (next < parked.size()) {
            int run = 0; // how many of the slots, in either form, are in the run from .1
            int runEnd = 0;
            while (run < inSlots.size() && inSlots.get(run).index() <= runEnd + 1) {
                runEnd = inSlots.get(run).index();
                run++;
            }
            int shift = parked.size() - next;
            if (run < inSlots.size()) {
                shift = Math.min(shift, inSlots.get(run).index() - runEnd - 1);
            }
            List<Slot> moved = moveUp(base, inSlots.subList(0, run), shift, maxBackupIndex, renames);
            List<Slot> after = new ArrayList<>(inSlots.size() + shift);
            after.addAll(placeParked(base, parked.subList(next, next + shift), maxBackupIndex, renames));
            after.addAll(moved);
            after.addAll(inSlots.subList(run, inSlots.size()));
            inSlots = after;
            next += shift;
        }
        for (int index = 1; index <= Math.min(parked.size(), maxBackupIndex); index++) {
            backups.add(parked.get(0).file().resolveSibling(base + "." + index));
        }
    }

    /**
     * Moves {@code run} (ascending) up by {@code shift} slots, the highest first; what would pass
     * {@code maxBackupIndex} is deleted.
     *
     * @return the slots moved, ascending
     */
    private static List<Slot> moveUp(String base, List<Slot> run, int shift, int maxBackupIndex, Renames renames)
            throws IOException {
        Slot[] moved = new Slot[run.size()];
        int kept = 0;
        for (int i = run.size() - 1; i >= 0; i--) {
            Slot slot = run.get(i);
            long to = (long) slot.index() + shift;
            if (to > maxBackupIndex) {
                Files.deleteIfExists(slot.file());
            } else {
                Path file = slot.file().resolveSibling(base + "." + to + slot.extension());
                renames.move(slot.file(), file);
                moved[run.size() - 1 - kept++] = new Slot((int) to, file, slot.extension());
            }
        }
        return Arrays.asList(moved).subList(run.size() - kept, run.size());
    }

    /**
     * Moves {@code parked} (oldest first) to the slots from {@code .parked.size()} down to {@code .1}, the oldest first:
     * cut short, the next pass finds the files not moved yet newest. Those that would pass {@code maxBackupIndex}
     * (parked more often than backups are kept) are deleted.
     *
     * @return the slots taken, ascending
     */
    private static List<Slot> placeParked(String base, List<Parked> parked, int maxBackupIndex, Renames renames)
            throws IOException {
        Slot[] placed = new Slot[parked.size()];
        for (int i = 0; i < parked.size(); i++) {
            Path file = parked.get(i).file();
            int to = parked.size() - i;
            if (to > maxBackupIndex) {
                Files.deleteIfExists(file);
            } else {
                Path moved = file.resolveSibling(base + "." + to);
                renames.move(file, moved);
                placed[to - 1] = new Slot(to, moved, "");
            }
        }
        int taken = Math.min(parked.size(), maxBackupIndex); // the slots above are those of deleted files
        return Arrays.asList(placed).subList(0, taken);
    }

    /**
     * The used slots of {@code base}, from {@code .1} to {@code .maxBackupIndex}, among {@code siblings}, checked,
     * ascending by index (a slot may hold a backup in both forms).
     */
    private static List<Slot> slotsInUse(List<Path> siblings, String base, int maxBackupIndex) throws IOException {
        List<Slot> inSlots = slots(siblings, base, maxBackupIndex);
        requireRegular(inSlots);
        return inSlots;
    }

    /** The used slots of {@code base} as {@link #slotsInUse} finds them, unchecked. */
    private static List<Slot> slots(List<Path> siblings, String base, int maxBackupIndex) {
        List<Slot> inSlots = new ArrayList<>();
        for (Path sibling : siblings) {
            String name = sibling.getFileName().toString();
            if (name.startsWith(base)) {
                Name parsed = Name.parse(name, base);
                if (parsed.rest.isEmpty() && parsed.index >= 1 && parsed.index <= maxBackupIndex) {
                    inSlots.add(new Slot(parsed.index, sibling, parsed.extension));
                }
            }
        }
        inSlots.sort(BY_INDEX);
        return inSlots;
    }

    private static void requireRegular(List<Slot> slots) throws IOException {
        for (Slot slot : slots) {
            requireRegular(slot.file());
        }
    }

    /**
     * Where a time rotation moves the file: to {@code base}, unless a backup is there already, in either form. Then,
     * with {@code keepExisting} (a suffix with a year, or an hour that repeats at a daylight saving fall-back), or if
     * that backup was last written from {@code turnStart} to before {@code turnEnd} (this turn of a cyclic suffix: a
     * rotation of this period that its process did not live to announce), the backup there is kept: the file, the
     * newest of its period, still takes {@code base}, and the backup goes into the period's size chain by the time it
     * was last written (see {@link Displaced}). Otherwise (a cyclic suffix such as {@code .EEE}) the backup is from an
     * earlier turn and replaced. The lock on the backups is held if a backup is at the name.
     *
     * @param maxBackupIndex the chain's length; 0 (no size rotation): as long as it needs
     */
    static TimeBackup timeBackup(Path file, String base, boolean keepExisting, long turnStart, long turnEnd,
            int maxBackupIndex) throws IOException {
        List<Path> existing = new ArrayList<>();
        List<Path> siblings = siblings(file, base);
        for (Path sibling : siblings) {
            Name name = Name.parse(sibling.getFileName().toString(), base);
            if (name.rest.isEmpty() && name.index == 0) { // not another base that begins with this one
                existing.add(sibling);
            }
        }
        boolean keep = keepExisting;
        long written = Long.MIN_VALUE;
        for (Path path : existing) {
            requireRegular(path);
            BasicFileAttributes attributes = attributes(path);
            long formWritten = attributes == null ? Long.MIN_VALUE : attributes.lastModifiedTime().toMillis();
            keep |= formWritten >= turnStart && formWritten < turnEnd;
            written = Math.max(written, formWritten);
        }
        Path named = file.resolveSibling(base);
        requireRegular(named);
        if (existing.isEmpty() || !keep) {
            return new TimeBackup(named, existing, null, !existing.isEmpty());
        }
        int limit = maxBackupIndex > 0 ? maxBackupIndex : Integer.MAX_VALUE;
        return new TimeBackup(named, List.of(), Displaced.of(siblings, base, existing, written, limit), true);
    }

    /**
     * The name a time rotation gives the file, and what is at that name now: the backups of an earlier turn it
     * replaces, or the backup of this period it displaces.
     *
     * @param displaced        the backup at the name that goes into the chain, or null
     * @param needsBackupsLock whether a backup of the name exists: choosing the name or replacing it then races with
     *                         shifts and compression, so it is done only under the lock on the backups
     */
    record TimeBackup(Path path, List<Path> replaced, Displaced displaced, boolean needsBackupsLock) {

        /**
         * Moves {@code file} to the backup, after deleting the backups it replaces or moving the one it displaces. If
         * a rename is refused, the backups keep the names they had.
         */
        Path move(Path file) throws IOException {
            for (Path old : replaced) {
                Files.deleteIfExists(old);
            }
            Renames renames = new Renames();
            try {
                if (displaced != null) {
                    displaced.move(renames);
                }
                Files.move(file, path);
            } catch (IOException e) {
                renames.undo();
                throw e;
            }
            return path;
        }
    }

    /**
     * A time backup kept when a time rotation of its period comes again (a repeated hour, a clock set back): it goes
     * into the period's size chain at the slot its age gives, {@code .index}, after the newer backups. The run of used
     * slots from there, up to the first gap, moves up one slot (what passes the chain's length is deleted, the
     * oldest). Moved highest first, so a process killed part way leaves a gap that the next try fills, with nothing
     * moved twice.
     */
    record Displaced(List<Path> forms, String base, int index, List<Slot> run, int limit) {

        static Displaced of(List<Path> siblings, String base, List<Path> forms, long written, int limit)
                throws IOException {
            List<Slot> slots = slots(siblings, base, limit);
            int index = 1;
            int from = 0;
            // past the run of slots newer than the displaced backup, up to a gap
            while (from < slots.size() && slots.get(from).index() == index && lastWritten(slots.get(from)) >= written) {
                while (from < slots.size() && slots.get(from).index() == index) {
                    from++;
                }
                index++;
            }
            int to = from;
            for (int next = index; to < slots.size() && slots.get(to).index() <= next; to++) {
                next = slots.get(to).index() + 1;
            }
            List<Slot> run = slots.subList(from, to);
            for (Slot slot : run) {
                BasicFileAttributes attributes = attributes(slot.file());
                if (attributes == null || !attributes.isRegularFile()) {
                    // a slot to move is held by something else (a directory, a link): above the chain, nothing moved
                    int highest = slots.isEmpty() ? 0 : slots.get(slots.size() - 1).index();
                    return new Displaced(forms, base, highest + 1, List.of(), Integer.MAX_VALUE);
                }
            }
            return new Displaced(forms, base, index, run, limit);
        }

        /**
         * Moves the backup into its slot, after the run above it. Held in both forms (a compression cut short after
         * its rename into place), the raw form, which the compressed one holds whole, is deleted first, so the
         * backup moves with one rename.
         */
        void move(Renames renames) throws IOException {
            List<Path> moving = forms;
            if (forms.size() > 1) {
                moving = new ArrayList<>();
                for (Path form : forms) {
                    if (Name.parse(form.getFileName().toString(), base).extension().isEmpty()) {
                        Files.deleteIfExists(form);
                    } else {
                        moving.add(form);
                    }
                }
            }
            moveUp(base, run, 1, limit, renames);
            for (Path form : moving) {
                if (index > limit) {
                    Files.deleteIfExists(form); // older than the whole chain, which is full
                } else {
                    String name = form.getFileName().toString();
                    renames.move(form, form.resolveSibling(base + "." + index + name.substring(base.length())));
                }
            }
        }

        private static long lastWritten(Slot slot) throws IOException {
            BasicFileAttributes attributes = attributes(slot.file());
            return attributes == null ? Long.MIN_VALUE : attributes.lastModifiedTime().toMillis();
        }
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

    /** @return the sequence the text names (digits, at most 18), or -1 */
    private static long parseSequence(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
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
     * The renames of one chain's shift, so that a refused one can be undone: the chain then keeps the names it had
     * (a backup already deleted for passing {@code maxBackupIndex} stays deleted). Undone last first, so a process
     * killed while it undoes leaves a shift cut short, which the next pass finishes.
     */
    private static final class Renames {
        private final List<Path[]> done = new ArrayList<>();

        void move(Path from, Path to) throws IOException {
            shift(from, to);
            done.add(new Path[] {from, to});
        }

        void undo() {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    shift(done.get(i)[1], done.get(i)[0]);
                } catch (IOException e) {
                    return; // as a pass cut short: the next one finishes it
                }
            }
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

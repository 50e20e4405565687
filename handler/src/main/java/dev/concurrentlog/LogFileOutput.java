package dev.concurrentlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * The open log file of one {@link SharedLogFile}, and its rotation. Which file is open, and how large it is, comes from
 * the {@link LockFileState} in the lock file (for appends without the lock too, through its ticket): a rotation by another process moves its
 * generation on and makes this one reopen the path. The file system is asked (file identity and size, by path) when
 * that state cannot be trusted (a writer died or failed part way, a writer without the lock wrote, the state describes
 * another log or cannot be mapped) and at least every {@link Timings#identityCheckNanos}, so a move or delete by an outside
 * tool is noticed within that time and the file now at the path is opened (or created).
 * <p>
 * The file is opened with {@code O_APPEND} and {@code O_NOFOLLOW}: a symbolic link planted at the path is never
 * followed. A write that fails part way is cut back to the last whole record while the lock is held; a record left
 * unfinished by a process that died while writing is ended with a line break before the next record, so it never
 * merges with another record on one line.
 */
final class LogFileOutput {

    private static final byte LINE_END = '\n';
    private static final int MAX_OPEN_ATTEMPTS = 5;
    private static final long NO_GENERATION = Long.MIN_VALUE;

    private final Path path;
    private final LockFileGuard guard;
    private final Timings timings;
    private final long logKey;
    /** The shared state's generation when the open file was last found to be the one at the path. */
    private long openedGeneration = NO_GENERATION;
    private long identityCheckedAt;
    private FileChannel out;
    /** Reads the last byte of the open file; the same file as {@link #out}. */
    private FileChannel tail;
    private Object fileKey;
    /** The size this process left the open file at, or -1 if unknown; another size means someone else wrote. */
    private long expectedEnd = -1;
    private final ByteBuffer lastByte = ByteBuffer.allocate(1);
    private boolean writeFailed;
    private FileStore store;
    private boolean rotationFailed;
    private long rotationFailedAt;
    /** What reached the file of a reserved append that failed part way (a full disk), to cut back under the lock. */
    private byte[] fragment;
    /**
     * The open file as appends that hold no lock use it, or null while they may not: published under the in-JVM lock
     * whenever the file is found to be the one at the path for the shared generation, cleared when it is closed or a
     * write to it failed. Each append still reserves its bytes against the shared ticket, which is open only for this
     * generation's file.
     */
    private volatile AppendTarget appendTarget;

    /** The file appends without any lock write to: its channel, the generation it is open for, and when its identity was checked. */
    record AppendTarget(FileChannel channel, long generation, long checkedAt) {
    }

    LogFileOutput(Path path, LockFileGuard guard, Timings timings) {
        this.path = path;
        this.guard = guard;
        this.timings = timings;
        this.logKey = LockFileState.logKey(path.toAbsolutePath().toString());
    }

    /**
     * Stops appends without the OS lock and waits for those in flight (see {@link WriterSlots}), so that the file changes
     * only under the OS lock until {@link #openAppends}; the OS lock is held. If an appender died or hung with bytes in
     * flight, the end is read from the file system, and a record left unfinished at the end is ended with a line break
     * before the next write. If this process's last append failed part way and nothing was written after it, what it
     * left is cut back.
     *
     * @return a problem to report (an appender that hung past the timeout), or null
     */
    IOException closeAppends(WritePolicy policy) {
        WriterSlots.Drain drain = guard.closeAppends(policy.lockTimeoutNanos());
        LockFileState shared = guard.state();
        IOException problem = null;
        if (drain == WriterSlots.Drain.TIMED_OUT) {
            // its bytes land in the file it has open whenever it goes on; later drains are for a new generation
            shared.replaced(logKey);
            problem = new IOException("A process reserved bytes of " + path + " and did not write them within "
                    + "lockTimeout (stopped or hung?); going on without them");
        } else if (drain == WriterSlots.Drain.DEAD_WRITER) {
            shared.endUnknown();
        }
        if (fragment != null) {
            cutBackFragment();
        }
        return problem;
    }

    /** Removes the part of a failed append, if it is still the end of the file; the OS lock is held, appends closed. */
    private void cutBackFragment() {
        byte[] left = fragment;
        fragment = null;
        LockFileState shared = guard.state();
        if (shared != null) {
            shared.endUnknown(); // the size is read again whether or not this cuts anything
        }
        try {
            if (out == null || tail == null) {
                return;
            }
            long size = tail.size();
            if (size < left.length) {
                return;
            }
            ByteBuffer end = ByteBuffer.allocate(left.length);
            while (end.hasRemaining() && tail.read(end, size - left.length + end.position()) > 0) {
                // reads the last bytes
            }
            if (!end.hasRemaining() && java.util.Arrays.equals(end.array(), left)) {
                out.truncate(size - left.length);
            }
        } catch (IOException | RuntimeException ignored) {
            // the torn end stays; the next write starts on a new line because the end is unknown
        }
    }

    /**
     * Opens appends without the OS lock to the open file, whose end this process knows, after a batch written under the
     * OS lock; the OS lock is held.
     */
    void openAppends() {
        LockFileState shared = guard.state();
        if (shared != null && out != null && !writeFailed && expectedEnd >= 0 && shared.describes(logKey)
                && shared.generation() == openedGeneration && shared.end() == expectedEnd) {
            shared.open(openedGeneration, expectedEnd);
            publishAppendTarget();
        }
    }

    /**
     * The generation of the open file if it may be appended to without the OS lock: it is open, the shared state
     * describes it, and it was the file at the path when last compared, within {@link Timings#identityCheckNanos}
     * (compared now otherwise). {@link #NO_GENERATION} if not: the OS lock must be taken.
     */
    long generationForAppends() throws IOException {
        LockFileState shared = guard.state();
        if (out == null || shared == null || writeFailed || openedGeneration == NO_GENERATION
                || !shared.describes(logKey)) {
            return NO_GENERATION;
        }
        if (System.nanoTime() - identityCheckedAt >= timings.identityCheckNanos) {
            BasicFileAttributes attributes = readAttributes();
            if (attributes == null || !Objects.equals(attributes.fileKey(), fileKey)) {
                appendTarget = null;
                return NO_GENERATION; // moved or deleted by an outside tool: the OS lock's path finds out
            }
            identityCheckedAt = System.nanoTime();
        }
        publishAppendTarget();
        return openedGeneration;
    }

    /** The file for appends that hold no lock, or null; read without any lock. */
    AppendTarget appendTarget() {
        return appendTarget;
    }

    private void publishAppendTarget() {
        AppendTarget published = appendTarget;
        if (published == null || published.channel() != out || published.generation() != openedGeneration
                || published.checkedAt() != identityCheckedAt) {
            appendTarget = new AppendTarget(out, openedGeneration, identityCheckedAt);
        }
    }

    /**
     * The channel of {@code target} was closed under an append that held no lock (an interrupt of a thread writing
     * it). Called under the in-JVM lock: if it is still the open file's, the file is opened again.
     */
    void unlockedAppendClosed(AppendTarget target) {
        if (target.channel() != out) {
            return; // opened again or replaced meanwhile
        }
        try {
            if (reopenSameFile()) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            // looked at again under the OS lock
        }
        close();
    }

    /**
     * Opens the file at the path again after its channel was closed under this process, if it is still the file that
     * was open; the in-JVM lock is held. Appends without a lock wait for the next check of the file.
     *
     * @return false if another file is at the path now (the caller closes and looks again)
     */
    private boolean reopenSameFile() throws IOException {
        Object key = fileKey;
        appendTarget = null;
        closeQuietly(out);
        closeQuietly(tail);
        BasicFileAttributes opened = openChannels();
        return opened != null && Objects.equals(opened.fileKey(), key);
    }

    /**
     * An append that held no lock failed after writing {@code written} (null if nothing) to {@code target}; the ticket
     * is closed with the end unknown. Called under the in-JVM lock: if {@code target} is still the open file, it is
     * treated as a reserved append that failed here (cut back under the OS lock, and the file looked at again).
     */
    void unlockedAppendFailed(AppendTarget target, byte[] written) {
        if (target.channel() != out) {
            return; // closed or replaced meanwhile: what it wrote went to a file already rotated or repaired
        }
        writeFailed = true;
        expectedEnd = -1;
        appendTarget = null;
        if (written != null) {
            fragment = written;
        }
    }

    /**
     * After another process rotated the file and opened appends to the new one, opens the file now at the path without
     * the OS lock. The file at the path is replaced only while appends are closed, so if they are open for the same
     * generation before and after the open, the file opened is that generation's.
     *
     * @return the generation of the file opened, or {@link #NO_GENERATION} if appends are not open to a newer file or
     *         changed meanwhile: then the OS lock must be taken
     */
    long reopenForAppends(WritePolicy policy) throws IOException {
        LockFileState shared = guard.state();
        if (shared == null || writeFailed || !shared.describes(logKey)) {
            return NO_GENERATION;
        }
        long before = shared.ticket();
        long generation = shared.generation();
        if (!LockFileState.openFor(before, generation) || generation == openedGeneration) {
            return NO_GENERATION;
        }
        current(policy);
        identityCheckedAt = System.nanoTime();
        long after = shared.ticket();
        if (LockFileState.openFor(after, generation) && shared.generation() == generation) {
            openedGeneration = generation;
            expectedEnd = -1;
            publishAppendTarget();
            return generation;
        }
        return NO_GENERATION;
    }

    static boolean canAppend(long generation) {
        return generation != NO_GENERATION;
    }

    /**
     * Appends {@code data} (whole records, from its position to its limit), whose bytes this process has reserved in
     * the file of {@code generation}, without the OS lock. If it fails, the end in the shared state becomes unknown, so
     * the next process to take the OS lock reads the size, and what reached the file is remembered, to cut back under
     * the lock.
     */
    void appendReserved(ByteBuffer data, long generation) throws IOException {
        int start = data.position();
        try {
            writeAll(data);
        } catch (IOException | RuntimeException e) {
            guard.state().appendFailed(generation);
            int written = data.position() - start;
            if (written > 0) {
                fragment = new byte[written];
                data.get(start, fragment);
            }
            throw e;
        }
        expectedEnd = -1;
    }

    /**
     * Makes sure the open channel writes the file now at the path, as {@link #current} does, and returns its size; the
     * OS lock must be held. Comes from the shared state, with no system call, when that can be trusted.
     */
    long sizeForLockedWrite(WritePolicy policy) throws IOException {
        LockFileState shared = guard.state();
        if (shared != null && out != null && shared.describes(logKey) && shared.generation() == openedGeneration
                && System.nanoTime() - identityCheckedAt < timings.identityCheckNanos && !shared.takeForeignWrite()) {
            long end = shared.end();
            if (end >= 0) {
                expectedEnd = end;
                return end;
            }
        }
        return checkedSize(policy, shared);
    }

    /** {@link #sizeForLockedWrite} from the file system; brings the shared state up to date. */
    private long checkedSize(WritePolicy policy, LockFileState shared) throws IOException {
        boolean known = shared != null && shared.describes(logKey);
        if (known) {
            shared.takeForeignWrite(); // cleared before the size is read: later foreign writes set it again
        }
        Object openBefore = out == null ? null : fileKey;
        long generationBefore = openedGeneration;
        BasicFileAttributes attributes = current(policy);
        identityCheckedAt = System.nanoTime();
        if (shared != null) {
            boolean replacedUnannounced = openBefore != null && !Objects.equals(openBefore, fileKey)
                    && shared.generation() == generationBefore;
            if (!known || replacedUnannounced) {
                // another log's state, or a file replaced by an outside tool: make every process look again
                openedGeneration = shared.replaced(logKey);
                expectedEnd = -1;
            } else {
                openedGeneration = shared.generation();
                expectedEnd = shared.end();
            }
        }
        return attributes.size();
    }

    /**
     * Makes sure the open channel writes the file now at the path, opening (and creating) it if there is none, it was
     * rotated or removed by another process, or it was replaced. Returns the file's attributes, read from disk.
     */
    BasicFileAttributes current(WritePolicy policy) throws IOException {
        BasicFileAttributes attributes = readAttributes();
        if (out != null && attributes != null && Objects.equals(attributes.fileKey(), fileKey)) {
            return attributes;
        }
        close();
        for (int attempt = 1; ; attempt++) {
            policy.creator().createIfMissing(path);
            attributes = readAttributes();
            if (attributes == null) {
                throw new NoSuchFileException(path.toString(), null, "removed while being opened");
            }
            if (!attributes.isRegularFile()) {
                throw new IOException(path + " is not a regular file; refusing to write through it");
            }
            BasicFileAttributes opened = openChannels();
            // Both channels were opened by path: they are the file whose identity was read only if it never changed.
            if (opened != null && Objects.equals(opened.fileKey(), attributes.fileKey())) {
                fileKey = attributes.fileKey();
                return opened;
            }
            close();
            if (attempt == MAX_OPEN_ATTEMPTS) {
                throw new IOException(path + " kept being replaced while it was opened");
            }
        }
    }

    /**
     * Appends {@code data} (whole records, from its position to its limit) to the open file, whose size was
     * {@code sizeBefore} when last read. One byte before the position must be free: a line break goes there when the
     * file ends in an unfinished record, so the records are written with one write call either way.
     *
     * @param locked whether the file lock is held. Only then is the size exact, so only then is the end of the file
     *               checked and a failed write cut back (no one else writes meanwhile).
     */
    void append(ByteBuffer data, long sizeBefore, boolean locked) throws IOException {
        if (locked && sizeBefore > 0 && sizeBefore != expectedEnd && endsLine(data) && !fileEndsLine(sizeBefore)) {
            data.put(data.position() - 1, LINE_END).position(data.position() - 1);
        }
        int start = data.position();
        long length = data.remaining();
        LockFileState shared = guard.state();
        if (locked && shared != null) {
            shared.endUnknown(); // stays unknown if this process dies or fails before the write is done
        }
        try {
            writeAll(data);
        } catch (IOException | RuntimeException e) {
            if (locked && data.position() > start) {
                cutBack(sizeBefore, data.position() - start);
            }
            throw e;
        } finally {
            if (!locked && shared != null) {
                shared.foreignWrite();
            }
        }
        writeFailed = false;
        expectedEnd = locked ? sizeBefore + length : -1;
        if (locked && shared != null && openedGeneration != NO_GENERATION && shared.describes(logKey)) {
            shared.written(expectedEnd);
        }
    }

    /** Writes all of {@code data}; if that fails, the write is marked failed and the end unknown. */
    private void writeAll(ByteBuffer data) throws IOException {
        try {
            while (data.hasRemaining()) {
                onOpenFile(() -> out.write(data)); // what a closed channel took is counted in data's position
            }
        } catch (IOException | RuntimeException e) {
            writeFailed = true;
            expectedEnd = -1;
            appendTarget = null;
            throw e;
        }
    }

    /** Empties the file, for a process alone on it at start ({@code append} false); the OS lock is held. */
    void truncate() throws IOException {
        announceReplaced(); // before the file changes, as for a rotation
        LockFileState shared = guard.state();
        if (shared != null) {
            shared.periodStart(LockFileState.UNKNOWN_PERIOD); // empty: the first record's period
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.truncate(0);
        }
        expectedEnd = -1;
    }

    /**
     * The start of the open file's period under {@code policy}'s suffix, the OS lock held: the one every process shares
     * through the state in the lock file. When no process has set it yet, a file of {@code size} bytes takes the period
     * of its last-modified time (a file left by an earlier run: rotated once, named by its own period), and an empty
     * one the period of its first record, of time {@code firstRecordTime}.
     */
    long periodStart(WritePolicy policy, long size, long firstRecordTime) throws IOException {
        LockFileState shared = guard.state();
        boolean known = shared != null && shared.describes(logKey);
        if (known && shared.periodStart() != LockFileState.UNKNOWN_PERIOD) {
            return shared.periodStart();
        }
        long time = firstRecordTime;
        if (size > 0) {
            BasicFileAttributes attributes = readAttributes();
            if (attributes != null) {
                time = attributes.lastModifiedTime().toMillis();
            }
        }
        long start = policy.suffix().periodStart(time);
        if (known) {
            shared.periodStart(start);
        }
        return start;
    }

    /** Makes {@code start} the period of the open file, which is empty, for every process; the OS lock is held. */
    void beginPeriod(long start) {
        LockFileState shared = guard.state();
        if (shared != null && shared.describes(logKey)) {
            shared.periodStart(start);
        }
    }

    /**
     * Whether a rotation may be tried before {@code nextWrite} bytes are written: not within
     * {@link Timings#rotationRetryNanos} of a failed rotation, and not while the disk is full (the last write failed, or the
     * file system has no room for the next record): the records could not be written anyway, and the rotation would
     * delete the oldest backup for nothing.
     */
    boolean rotationAllowed(long nextWrite) {
        if (writeFailed || rotationFailed && System.nanoTime() - rotationFailedAt < timings.rotationRetryNanos) {
            return false;
        }
        try {
            if (store == null) {
                store = Files.getFileStore(path.getParent());
            }
            return store.getUsableSpace() >= nextWrite;
        } catch (IOException e) {
            return true; // no answer about space: rotate as usual
        }
    }

    /**
     * The first step of a size rotation, while appends are closed: the file is parked as the newest of the chain of
     * the period that starts at {@code periodStart} (see {@link BackupRotator#park}), in the order the shared
     * generation gives. {@link #finishParked} shifts the chain later, under the lock on the backups.
     */
    void parkBySize(WritePolicy policy, long periodStart) throws IOException {
        LockFileState shared = guard.state();
        String base = backupBase(policy.suffix(), periodStart);
        // numbered by the generation the rotation moves on to before its rename: unique even if this process dies after
        // it; without a state of this log's, after the files parked now
        long listed = shared != null && shared.describes(logKey) ? -1
                : BackupRotator.nextParkSequence(path, policy.suffix());
        rotate(generation -> {
            Path parked = BackupRotator.park(path, base, listed < 0 ? generation : listed);
            announceReplaced(); // a shift takes files parked below the generation it reads: this one from now on
            return parked;
        });
    }

    /**
     * Moves the files parked with a sequence below {@code parkedBefore} into their chains (see
     * {@link BackupRotator#finishParked}), then deletes the backups of periods beyond {@code maxHistory}; the lock on
     * the backups is held. Needs no other lock: it touches no state of this object.
     *
     * @return the new backups, uncompressed
     */
    List<Path> tidyBackups(WritePolicy policy, long parkedBefore) throws IOException {
        List<Path> made = List.of();
        IOException failed = null;
        if (policy.maxBackupIndex() > 0) {
            try {
                made = BackupRotator.finishParked(path, policy.suffix(), policy.maxBackupIndex(), parkedBefore);
            } catch (IOException e) {
                // maxHistory still applies below: an obstacle in one chain must not keep every period's backups
                failed = new IOException("Unable to shift the backups of " + path + "; every backup keeps its name, "
                        + "the newest wait at their parked names (" + path.getFileName() + "...rotating.N) and the "
                        + "shift is retried: " + e.getMessage(), e);
            }
        }
        RotationSuffix suffix = policy.suffix();
        LockFileState shared = guard.state();
        // the period of the file at the path, as the last time rotation set it (read without the OS lock: any recent
        // value will do); the clock's without a shared state
        long current = shared == null || !shared.describes(logKey) ? suffix.periodStart(System.currentTimeMillis())
                : shared.periodStart();
        if (suffix.timed() && policy.maxHistory() > 0 && current != LockFileState.UNKNOWN_PERIOD) {
            long cutoff = current;
            for (int i = 0; i < policy.maxHistory(); i++) {
                cutoff = suffix.previousPeriodStart(cutoff);
            }
            try {
                BackupRotator.deleteOlderThan(path, suffix, cutoff);
            } catch (IOException e) {
                failed = failed != null ? failed : new IOException("Unable to delete the backups of " + path
                        + " older than maxHistory: " + e.getMessage(), e);
            }
        }
        if (failed != null) {
            throw failed; // what the chains that did shift made is compressed by the sweep that follows a failure
        }
        return made;
    }

    /**
     * Rotates by time: the file, of the period that starts at {@code periodStart}, becomes that period's backup, and
     * {@code nextPeriodStart} the period of the new file, for every process. The OS lock is held and appends are
     * closed. The generation moves on before the rename, so a process that takes the OS lock after it, even if this one
     * dies right after the rename, opens the file at the path again instead of writing through the channel it had
     * open; the new file, empty, takes the period of its first record, so it is not rotated for the old period. A
     * backup already at the name is kept (it goes into the period's size chain by its age, see
     * {@link BackupRotator#timeBackup}) unless the suffix is cyclic ({@code .EEE}, no year) and the backup is from an
     * earlier turn: then it is replaced. The name is chosen before the generation moves; only when a backup of that
     * name exists is the lock on the backups needed (the name is then chosen again under it), which is tried, never
     * waited for: if another process holds it, the rotation is retried later. The size rotations parked, and
     * {@code maxHistory}, are left to the shift that follows (see {@link #tidyBackups}).
     *
     * @return the new backup, uncompressed
     */
    Path rotateByTime(WritePolicy policy, long periodStart, long nextPeriodStart) throws IOException {
        RotationSuffix suffix = policy.suffix();
        long start = suffix.periodStart(periodStart);
        String base = backupBase(suffix, start);
        // a name that repeats at once (the hour a daylight saving fall-back repeats) must not replace its backup either;
        // a backup written from the period's start to the end of the next (late records) is of this turn
        boolean keepExisting = suffix.namesOnePeriod()
                || suffix.dateText(suffix.previousPeriodStart(start)).equals(suffix.dateText(start));
        long turnEnd = suffix.nextPeriodStart(suffix.nextPeriodStart(start));
        LockFileGuard.BackupsLock backups = null;
        try {
            BackupRotator.TimeBackup target = BackupRotator.timeBackup(path, base, keepExisting, start, turnEnd,
                    policy.maxBackupIndex());
            if (target.needsBackupsLock()) {
                // never waited for: a rotation that finds it taken is retried; nor taken while a straggler may land in
                // a backup that moving the one at the name deletes or moves
                backups = guard.appendsInFlightToBackups() ? null : guard.tryLockBackups();
                if (backups == null) {
                    throw new IOException("another process holds the lock on its backups, or has appends in flight "
                            + "to them, and " + target.path() + " exists");
                }
                target = BackupRotator.timeBackup(path, base, keepExisting, start, turnEnd,
                        policy.maxBackupIndex()); // chosen under it
            }
            BackupRotator.TimeBackup chosen = target;
            return rotate(generation -> {
                Path moved = chosen.move(path);
                beginPeriod(nextPeriodStart);
                return moved;
            });
        } catch (IOException e) {
            throw rotationFailed(e);
        } finally {
            if (backups != null) {
                guard.releaseBackups(backups);
            }
        }
    }

    private String backupBase(RotationSuffix suffix, long periodStart) {
        return path.getFileName() + suffix.dateText(suffix.timed() ? suffix.periodStart(periodStart) : 0);
    }

    /** A rename of the file at the path, given the generation the rotation moved on to (-1 without a shared state). */
    private interface Move<T> {
        T run(long generation) throws IOException;
    }

    private <T> T rotate(Move<T> move) throws IOException {
        close();
        long generation = announceReplaced();
        try {
            T moved = move.run(generation);
            rotationFailed = false;
            return moved;
        } catch (IOException e) {
            throw rotationFailed(e);
        }
    }

    /** Marks the rotation failed, to be retried after a pause, and says so; a failure already said so passes. */
    private IOException rotationFailed(IOException e) {
        if (e instanceof RotationFailed) {
            return e;
        }
        rotationFailed = true;
        rotationFailedAt = System.nanoTime();
        return new RotationFailed("Unable to rotate " + path + " (records stay in it, rotation is retried): "
                + e.getMessage(), e);
    }

    /** A rotation that failed, as {@link #rotationFailed} reports it. */
    private static final class RotationFailed extends IOException {
        RotationFailed(String message, IOException cause) {
            super(message, cause);
        }
    }

    /**
     * Tells every process, through the shared state, that the file at the path is being replaced under the lock: each
     * opens the path again before its next write.
     *
     * @return the new generation, or -1 without a shared state
     */
    private long announceReplaced() {
        LockFileState shared = guard.state();
        return shared == null ? -1 : shared.replaced(logKey);
    }

    void close() {
        appendTarget = null;
        closeQuietly(out);
        closeQuietly(tail);
        out = null;
        tail = null;
        fileKey = null;
        expectedEnd = -1;
        openedGeneration = NO_GENERATION;
    }

    private static boolean endsLine(ByteBuffer data) {
        return data.get(data.limit() - 1) == LINE_END;
    }

    private boolean fileEndsLine(long size) throws IOException {
        lastByte.clear();
        int read = onOpenFile(() -> tail.read(lastByte, size - 1));
        return read != 1 || lastByte.get(0) == LINE_END;
    }

    /** A read or write of the open file's channels. */
    @FunctionalInterface
    private interface ChannelCall {
        int run() throws IOException;
    }

    /**
     * Runs {@code call} on the open file's channels; the in-JVM lock is held. An interrupt of a thread that uses them
     * (this one, or one appending without a lock) closes them: then the file is opened again and the call repeated, for
     * as long as the same file is at the path and interrupts keep coming.
     */
    private int onOpenFile(ChannelCall call) throws IOException {
        while (true) {
            try {
                return call.run();
            } catch (ClosedChannelException e) {
                guard.holdBackInterrupt(); // restored when the in-JVM lock is let go
                if (out == null || !reopenSameFile()) {
                    throw e;
                }
            }
        }
    }

    /** Removes the part of a failed write that reached the file, so no torn record stays behind. */
    private void cutBack(long size, long written) {
        try {
            if (out.size() == size + written) { // else someone wrote after it (an appender past lockTimeout): keep all
                out.truncate(size);
            }
        } catch (IOException | RuntimeException ignored) {
            // the torn end stays; the next write starts on a new line because the expected end is unknown
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // every byte was already handed to the OS by write; there is nothing to flush
            }
        }
    }

    /**
     * Opens the file at the path for appending ({@code O_APPEND}, {@code O_NOFOLLOW}) and for reading its end; returns
     * its attributes as read after, or null if nothing is there any more. The caller checks it is the file it meant.
     */
    private BasicFileAttributes openChannels() throws IOException {
        out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        tail = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return readAttributes();
    }

    private BasicFileAttributes readAttributes() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

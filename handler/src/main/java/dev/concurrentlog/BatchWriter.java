package dev.concurrentlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes batches of records into one log file. Called only by the thread that holds the in-JVM lock.
 * <p>
 * A batch is appended without the OS lock when it can be ({@link #appendReserved}): the ticket in the shared state is
 * open for the file this process has open, and no record of the batch takes the file past its rotate size or into a
 * new period. Then its bytes are reserved with one compare-and-set in the shared memory and appended with one
 * {@code O_APPEND} write call. Otherwise ({@link #lock}, {@link #write}) it takes the OS lock, stops and waits for the
 * appends in flight, finds out which file is at the path and how large it is, rotates where a record would take the
 * file past its rotate size (by size: the file is only parked, see {@link #takeParked}), writes each run of records
 * between rotations with one write call, and opens appends again.
 * <p>
 * If another process keeps the lock file past the {@code lockTimeout}, or the file system fails the lock call, the
 * batch is appended without the lock and without rotating; so are later batches, each after one more try for the
 * lock, until the lock is had again.
 */
final class BatchWriter {

    /**
     * The outcome of records that an Error (out of memory) kept from being written: made beforehand, without a stack
     * trace, which would keep the classes of whoever first loaded this class.
     */
    static final IOException NOT_WRITTEN = new IOException("Record not written: the batch failed (out of memory?)") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /** A run buffer larger than this is dropped after use rather than kept for the next batch. */
    private static final int KEPT_BUFFER_LIMIT = 1024 * 1024;

    private final Path path;
    private final LockFileGuard guard;
    private final LogFileOutput output;
    /** Takes each new backup: compresses it if the suffix says so. */
    private final java.util.function.BiConsumer<Path, WritePolicy> rotated;
    /** Byte 0 is kept free for the line break that ends an unfinished record left in the file. */
    private ByteBuffer runBuffer = ByteBuffer.allocateDirect(16 * 1024);
    /** Whether the last batch was written without the lock because the lock timeout passed. */
    private boolean unlocked;
    /** Whether {@link #lock} got the OS lock for the current batch. */
    private boolean locked;
    /** Whether {@link #lock} ended, without the lock, because appends opened again. */
    private boolean awaitedAppends;
    /** The policy of the last rotation not yet handed on by {@link #takeParked}, or null. */
    private WritePolicy parkedBy;

    private final LogFileStats stats;

    BatchWriter(Path path, LockFileGuard guard, LogFileOutput output,
            java.util.function.BiConsumer<Path, WritePolicy> rotated, LogFileStats stats) {
        this.rotated = rotated;
        this.stats = stats;
        this.path = path;
        this.guard = guard;
        this.output = output;
    }

    /**
     * Appends {@code batch} without the OS lock if the ticket allows it (see the class comment), and completes each
     * record with its outcome.
     *
     * @return whether the batch was taken care of; false if it must be written under the OS lock
     */
    boolean appendReserved(List<PendingRecord> batch, byte[] encoded) {
        LockFileState shared = guard.state();
        int slot = guard.slot();
        if (unlocked || slot < 0) {
            return false;
        }
        long total = 0;
        for (PendingRecord next : batch) {
            total += next.encodedLength;
        }
        long generation;
        try {
            generation = output.generationForAppends();
            if (!LockFileState.openFor(shared.ticket(), generation)) {
                generation = output.reopenForAppends(batch.get(0).policy); // another process rotated
            }
        } catch (IOException | RuntimeException e) {
            return false; // the OS lock's path reports it
        }
        if (!LogFileOutput.canAppend(generation)) {
            return false;
        }
        ByteBuffer buffer;
        try {
            buffer = fill(batch, encoded, 0, batch.size(), total); // before the reservation: nothing fails after it
        } catch (IOException e) {
            return false; // too large: the OS lock's path fails the records
        }
        if (!shared.reserve(slot, generation, total, size -> fits(batch, size, shared))) {
            keep(buffer);
            return false;
        }
        IOException failure = null;
        try {
            // on failure the end becomes unknown and the part written is remembered
            output.appendReserved(buffer, generation);
            if (shared.generation() != generation) {
                shared.foreignWrite(); // landed after a rotation went on without it (lockTimeout): not counted
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException("Write to " + path + " failed", e);
        } catch (Error e) {
            shared.appendFailed(generation);
            throw e;
        } finally {
            shared.landed(slot);
            keep(buffer);
        }
        for (PendingRecord next : batch) {
            next.complete(failure);
        }
        if (failure == null) {
            stats.written(batch.size(), total);
            stats.lockedPath(batch.size());
        } else {
            stats.writeFailed(batch.size());
        }
        return true;
    }

    /** Whether the records of {@code batch} go into the open file, of {@code size} bytes, without a rotation. */
    private static boolean fits(List<PendingRecord> batch, long size, LockFileState shared) {
        long end = size;
        for (PendingRecord next : batch) {
            if (!next.policy.fitsWithoutRotation(end, next.encodedLength, next.time, shared::periodStart)) {
                return false;
            }
            end += next.encodedLength;
        }
        return true;
    }

    /**
     * Takes the OS lock for the next batch, waiting at most {@code policy}'s lock timeout (or, while writing without the
     * lock, trying once). Called before the batch is taken from the queue, so records queued during the wait join it.
     * With {@code untilAppendsOpen}, a wait that began while another process had appends closed (it rotates) also ends
     * when they open again, without the lock: then {@link #awaitedAppends()} is true, and the batch is tried without
     * the OS lock first.
     *
     * @return a problem of the file to report once no lock is held (writing without the lock starts), or null
     */
    IOException lock(WritePolicy policy, boolean untilAppendsOpen) {
        awaitedAppends = false;
        try {
            long start = System.nanoTime();
            LockFileGuard.Wait wait = guard.lockFile(unlocked ? 0 : policy.lockTimeoutNanos(),
                    untilAppendsOpen && !unlocked);
            stats.waitedForOsLock(System.nanoTime() - start);
            if (wait == LockFileGuard.Wait.APPENDS_OPEN) {
                locked = false;
                awaitedAppends = true;
                return null;
            }
            locked = wait == LockFileGuard.Wait.LOCKED;
            if (locked) {
                unlocked = false;
                return guard.takeProblem();
            }
        } catch (IOException | RuntimeException e) {
            // the file system failed the lock call (EIO, ENOLCK, the lock file unreadable): as past lockTimeout, the
            // records are written without the lock rather than lost, and the lock is tried again with each batch
            locked = false;
            IOException problem = unlocked ? null : new IOException("Locking " + guard.path() + " failed (" + e
                    + "); writing " + path + " without the lock, and without rotating it, until it can be locked", e);
            unlocked = true;
            return problem;
        }
        IOException problem = null;
        if (!locked && !unlocked) {
            stats.lockTimedOut();
            problem = new IOException("Lock file " + guard.path() + " was held by another process for longer than "
                    + "lockTimeout (" + TimeUnit.NANOSECONDS.toMillis(policy.lockTimeoutNanos()) + " ms); writing "
                    + path + " without the lock, and without rotating it, until it is free");
        }
        unlocked = !locked;
        return problem;
    }

    /**
     * Writes {@code batch} in order, under the lock {@link #lock} took (or without it, once the lock timeout passed), and
     * completes each record with its outcome.
     *
     * @return problems of the file rather than of a record (a failed rotation), to report once no lock is held; null if
     *         there were none
     */
    List<IOException> write(List<PendingRecord> batch, byte[] encoded) {
        List<IOException> problems = null;
        int written = 0;
        int inFlightIn = locked ? -1 : enterUnlocked();
        try {
            WritePolicy first = batch.get(0).policy;
            if (locked) {
                IOException hung = output.closeAppends(first);
                if (hung != null) {
                    problems = add(problems, hung);
                }
            }
            long size = locked ? output.sizeForLockedWrite(first) : output.current(first).size();
            long period = LockFileState.UNKNOWN_PERIOD;
            int runStart = 0;
            long runLength = 0;
            for (int i = 0; i < batch.size(); i++) {
                PendingRecord next = batch.get(i);
                WritePolicy policy = next.policy;
                if (locked && policy.suffix().timed() && period == LockFileState.UNKNOWN_PERIOD) {
                    period = output.periodStart(policy, size + runLength, next.time);
                }
                boolean periodOver = locked && policy.periodOver(period, next.time);
                if (periodOver && size + runLength == 0) {
                    // an empty file takes the period of its first record
                    period = policy.suffix().periodStart(next.time);
                    output.beginPeriod(period);
                } else if ((periodOver || locked && policy.rotationDue(size + runLength, next.encodedLength))
                        && output.rotationAllowed(next.encodedLength)) {
                    writeRun(batch, encoded, runStart, i, runLength, size, true);
                    written = i;
                    runStart = i;
                    runLength = 0;
                    long nextPeriod = policy.suffix().periodStart(next.time);
                    try {
                        if (periodOver) {
                            rotated(output.rotateByTime(policy, period, nextPeriod), policy);
                            stats.rotatedByTime();
                        } else {
                            output.parkBySize(policy, period);
                            stats.rotatedBySize();
                        }
                        parkedBy = policy; // the shift after the locks finishes parked files and applies maxHistory
                    } catch (IOException e) {
                        problems = add(problems, e);
                    }
                    size = output.sizeForLockedWrite(policy);
                    period = LockFileState.UNKNOWN_PERIOD; // as the rotation left it: read again
                }
                runLength += next.encodedLength;
            }
            writeRun(batch, encoded, runStart, batch.size(), runLength, size, locked);
            if (locked) {
                output.openAppends();
            }
        } catch (Throwable e) {
            // after an Error, nothing that allocates before the records are completed: memory may be out
            IOException failure = e instanceof IOException io ? io
                    : e instanceof Error ? NOT_WRITTEN : new IOException("Write to " + path + " failed", e);
            int dropped = 0;
            for (int i = written; i < batch.size(); i++) {
                dropped += batch.get(i).isDone() ? 0 : 1;
                batch.get(i).complete(failure);
            }
            stats.writeFailed(dropped);
            output.close();
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (inFlightIn >= 0) {
                guard.state().landed(inFlightIn);
            }
        }
        return problems;
    }

    /**
     * Counts a write without the OS lock (past {@code lockTimeout}, or the lock call failed) in flight in this JVM's
     * slot, as a reserved append is: it may land in the file after another process rotated it, and until it has
     * landed no process deletes or compresses a backup (see {@link WriterSlots#stragglers}), and a drain for that
     * file waits for it. Counted for the generation the shared state gives now: the file the write finds at the path
     * is that one or a newer one, so the write counts as a straggler as soon as that generation is rotated.
     *
     * @return the slot it is counted in, or -1 if it is not: this JVM has no slot, or its appends still in flight for
     *         an older file make it a straggler already
     */
    private int enterUnlocked() {
        LockFileState shared = guard.state();
        int slot = guard.slot();
        return shared != null && slot >= 0 && shared.enter(slot, shared.generation()) ? slot : -1;
    }

    /**
     * The policy of the last rotation the batches since the last call made, or null if they made none: the caller
     * shifts the backups (see {@link LogFileOutput#tidyBackups}) once it has let go of the in-JVM lock.
     */
    WritePolicy takeParked() {
        WritePolicy parked = parkedBy;
        parkedBy = null;
        return parked;
    }

    private void rotated(Path backup, WritePolicy policy) {
        rotated.accept(backup, policy);
    }

    /**
     * Writes records {@code from} (inclusive) to {@code to} (exclusive), whose bytes lie one after the other in
     * {@code encoded}, with one write call, then completes them.
     */
    private void writeRun(List<PendingRecord> batch, byte[] encoded, int from, int to, long length, long sizeBefore,
            boolean locked) throws IOException {
        if (from == to) {
            return;
        }
        ByteBuffer buffer = fill(batch, encoded, from, to, length);
        output.append(buffer, sizeBefore, locked);
        keep(buffer);
        for (int i = from; i < to; i++) {
            batch.get(i).complete(null);
        }
        stats.written(to - from, length);
        stats.lockedPath(to - from);
        if (locked) {
            stats.underOsLock(to - from);
        } else if (unlocked) {
            stats.withoutLock(to - from);
        }
    }

    /**
     * Copies the bytes of records {@code from} (inclusive) to {@code to} (exclusive), which lie one after the other in
     * {@code encoded}, into the run buffer, after one free byte (see {@link #runBuffer}).
     */
    private ByteBuffer fill(List<PendingRecord> batch, byte[] encoded, int from, int to, long length)
            throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("Batch of " + length + " bytes is too large");
        }
        ByteBuffer buffer = runBuffer;
        if (buffer.capacity() < length + 1) {
            buffer = ByteBuffer.allocateDirect((int) Math.max(length + 1,
                    Math.min(Integer.MAX_VALUE - 16, 2L * buffer.capacity())));
        }
        buffer.clear().position(1);
        buffer.put(encoded, batch.get(from).encodedStart, (int) length);
        buffer.flip().position(1);
        return buffer;
    }

    /** Keeps {@code buffer} for the next batch unless it is too large. */
    private void keep(ByteBuffer buffer) {
        if (buffer.capacity() <= KEPT_BUFFER_LIMIT) {
            runBuffer = buffer;
        }
    }

    /** Whether the last {@link #lock} ended without the OS lock because another process opened appends again. */
    boolean awaitedAppends() {
        return awaitedAppends;
    }

    static List<IOException> add(List<IOException> list, IOException problem) {
        List<IOException> result = list == null ? new ArrayList<>(2) : list;
        result.add(problem);
        return result;
    }

    static List<IOException> addAll(List<IOException> list, List<IOException> more) {
        if (more == null) {
            return list;
        }
        if (list == null) {
            return more;
        }
        list.addAll(more);
        return list;
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes batches of records into one log file. Called only by the thread that holds the in-JVM lock; it takes the OS
 * lock, finds out from the file system which file is at the path and how large it is, rotates where a record would
 * take the file past its rotate size, and writes each run of records between rotations with one write call.
 * <p>
 * If another process keeps the lock file past the {@code lockTimeout}, the batch is appended without the lock and
 * without rotating; so are later batches, each after one more try for the lock, until the lock is free again.
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
    /** Whether {@link #lock} got the OS lock for the current batch, and what went wrong if it failed. */
    private boolean locked;
    private IOException lockFailure;

    BatchWriter(Path path, LockFileGuard guard, LogFileOutput output,
            java.util.function.BiConsumer<Path, WritePolicy> rotated) {
        this.rotated = rotated;
        this.path = path;
        this.guard = guard;
        this.output = output;
    }

    /**
     * Takes the OS lock for the next batch, waiting at most {@code policy}'s lock timeout (or, while writing without the
     * lock, trying once). Called before the batch is taken from the queue, so records queued during the wait join it.
     *
     * @return a problem of the file to report once no lock is held (writing without the lock starts), or null
     */
    IOException lock(WritePolicy policy) {
        lockFailure = null;
        try {
            locked = guard.lockFile(unlocked ? 0 : policy.lockTimeoutNanos());
        } catch (IOException | RuntimeException e) {
            locked = false;
            lockFailure = e instanceof IOException io ? io : new IOException("Locking " + guard.path() + " failed", e);
            return null;
        }
        IOException problem = null;
        if (!locked && !unlocked) {
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
        try {
            if (lockFailure != null) {
                throw lockFailure;
            }
            WritePolicy first = batch.get(0).policy;
            long size = locked ? output.sizeForLockedWrite(first) : output.current(first).size();
            long period = SharedFileState.UNKNOWN_PERIOD;
            int runStart = 0;
            long runLength = 0;
            for (int i = 0; i < batch.size(); i++) {
                PendingRecord next = batch.get(i);
                WritePolicy policy = next.policy;
                if (locked && policy.suffix().timed() && period == SharedFileState.UNKNOWN_PERIOD) {
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
                        rotated(periodOver ? output.rotateByTime(policy, period, nextPeriod)
                                : output.rotateBySize(policy, period), policy);
                    } catch (IOException e) {
                        problems = add(problems, e);
                    }
                    size = output.sizeForLockedWrite(policy);
                    period = SharedFileState.UNKNOWN_PERIOD; // as the rotation left it: read again
                }
                runLength += next.encodedLength;
            }
            writeRun(batch, encoded, runStart, batch.size(), runLength, size, locked);
        } catch (Throwable e) {
            // after an Error, nothing that allocates before the records are completed: memory may be out
            IOException failure = e instanceof IOException io ? io
                    : e instanceof Error ? NOT_WRITTEN : new IOException("Write to " + path + " failed", e);
            for (int i = written; i < batch.size(); i++) {
                batch.get(i).complete(failure);
            }
            output.close();
            if (e instanceof Error error) {
                throw error;
            }
        }
        return problems;
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
        output.append(buffer, sizeBefore, locked);
        if (buffer.capacity() <= KEPT_BUFFER_LIMIT) {
            runBuffer = buffer;
        }
        for (int i = from; i < to; i++) {
            batch.get(i).complete(null);
        }
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

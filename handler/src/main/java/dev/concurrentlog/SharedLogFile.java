package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;

/**
 * One log file as this JVM sees it, shared by every handler instance that writes it: the {@link LockFreeAppender} that
 * takes most records a publisher waits for, one queue of the others and of the buffered ones, and the
 * {@link BatchWriter} that writes what is queued, always under the {@link LockFileGuard}'s in-JVM lock.
 * <p>
 * Group commit, for what the appender without a lock does not take (a rotation is due, another process holds the
 * ticket closed, buffered records are waiting): a publishing thread queues its record and waits in line for the
 * in-JVM lock; whichever thread holds it takes every queued record and writes them with one write call per run between
 * rotations, so a thread may find its record written when its turn comes. A buffered record (autoFlush=false) is
 * queued the same way, and its publisher goes on. Each thread's records keep their order: the queue is first in,
 * first out, a thread that waits for its record publishes the next only once it is written, and a record goes around
 * the queue only while no buffered record is queued.
 * <p>
 * A size rotation only parks the file while appends are closed; the thread that parked it shifts the backups after it
 * let go of the in-JVM lock and the OS lock (see {@link #shiftBackups}), so the others append and rotate meanwhile.
 */
final class SharedLogFile {

    private static final CountedRegistry<Path, SharedLogFile> FILES = new CountedRegistry<>();
    private static final CountedRegistry<Path, LockFileGuard> GUARDS = new CountedRegistry<>();

    /**
     * The outcome of a record whose file was closed (released by its last handler) before the record could be written:
     * the handler then writes it through its current target. Made beforehand, without a stack trace.
     */
    static final IOException CLOSED = new IOException("The log file was closed") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /** Buffered records (autoFlush=false) are written once they reach this many characters (bytes, for ASCII). */
    static final long BUFFER_LIMIT = 64 * 1024;

    private static final long MAX_SHIFT_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);


    private final Path path;
    private final LockFileGuard guard;
    private final Timings timings;
    /** Records to write under the in-JVM lock, waited for or buffered, in the order they were published. */
    private final Queue<PendingRecord> queue = new ConcurrentLinkedQueue<>();
    /** Characters of buffered (autoFlush=false) records not yet written. */
    private final AtomicLong bufferedChars = new AtomicLong();
    /** Characters of records logged from within a write (see {@link #buffer}) since the last batch began. */
    private final AtomicLong charsLoggedWithin = new AtomicLong();

    // All below are guarded by the guard's lock.
    private final LogFileOutput output;
    private final LockFreeAppender lockFree;
    private final BatchWriter writer;
    private final Batch batch = new Batch();
    private final LogFileStats stats = new LogFileStats();
    private final LogFileMonitor monitor;
    private boolean closed;
    /** Where problems found off the publishing threads (compression) go: the first handler's error sink. */
    private volatile ErrorSink reporter;
    /** Whether the last compression failed; reported once until one succeeds. */
    private volatile boolean compressionFailing;
    /** How many threads of this JVM shift the backups of this file now. */
    private final AtomicInteger shifting = new AtomicInteger();
    /** Whether the last shift of the backups failed; reported once until one succeeds. */
    private volatile boolean shiftFailing;
    /** Why the lock on the backups could not be tried for the last shift (the file system failed the call), or null. */
    private volatile IOException backupsLockFailure;
    /** Failed shifts in a row, and when the last one failed (nanoTime): the next waits (see {@link #shiftDue}). */
    private volatile int shiftFailures;
    private volatile long shiftFailedAt;

    private SharedLogFile(Path path, LockFileGuard guard, Timings timings) {
        this.path = path;
        this.guard = guard;
        this.timings = timings;
        this.output = new LogFileOutput(path, guard, timings);
        this.lockFree = new LockFreeAppender(path, guard, output, timings, stats);
        this.writer = new BatchWriter(path, guard, output, this::rotated, stats);
        this.monitor = new LogFileMonitor(path, guard, stats);
    }

    /**
     * Returns the JVM's shared view of {@code logPath}, counted as one more user. If the file is already in use with
     * another lock file, that lock file is kept, so every writer in this JVM stays serialized on one lock.
     */
    static SharedLogFile acquire(Path logPath, Path lockPath, FileCreator creator, Timings timings) {
        SharedLogFile file = FILES.acquire(logPath, key -> new SharedLogFile(key,
                GUARDS.acquire(lockPath, lock -> new LockFileGuard(lock, creator)), timings));
        file.monitor.register(); // outside the registry's monitor: the MBean server may log
        return file;
    }

    /** Drops one user; the last one closes the file and lets go of the lock file. */
    void release() {
        FILES.release(path, this, SharedLogFile::close);
    }

    Path path() {
        return path;
    }

    /** Writes what every open file of this JVM has buffered; returns once it is written. */
    static void flushAllOpen() {
        for (SharedLogFile file : FILES.values()) {
            file.flush();
        }
    }

    /** How many log files this JVM has open (for tests). */
    static int openFileCount() {
        return FILES.size();
    }

    Path lockPath() {
        return guard.path();
    }

    /**
     * Called by each handler when it attaches to the file: at its first record after {@code fileName} is set. If the
     * handler is the file's only writer (no other handler of this JVM, no other process on the lock
     * file), a non-empty file is emptied ({@code append} false) or rotated ({@code rotateOnBoot}), as jboss-logmanager's
     * handlers do. While others write it, the file is only appended to, so no one's records are erased or moved.
     *
     * @return what went wrong, for the caller to report once it holds no lock; null if nothing did
     */
    IOException start(WritePolicy policy, boolean append, boolean rotateOnBoot, ErrorSink errors) {
        IOException failure = null;
        if (reporter == null) {
            reporter = errors;
        }
        // read before the guard: the registry's monitor is taken before the guard's lock when a file closes
        boolean onlyHandler = FILES.references(path) == 1;
        LockFileGuard.BackupsLock backups = null;
        List<IOException> shiftProblems;
        try {
            guard.lockInJvm();
            try {
                // A process that keeps the lock past the timeout is running, so this one joins a running group.
                boolean locked = guard.lockFile(policy.lockTimeoutNanos());
                if (locked) {
                    failure = output.closeAppends(policy);
                }
                BasicFileAttributes current = output.current(policy);
                if (locked && (!append || rotateOnBoot && policy.maxBackupIndex() > 0) && current.size() > 0
                        && onlyHandler && guard.aloneInGroup()) {
                    if (!append) {
                        output.truncate();
                    } else {
                        long period = policy.suffix().timed()
                                ? output.periodStart(policy, current.size(), System.currentTimeMillis())
                                : LockFileState.UNKNOWN_PERIOD;
                        output.parkBySize(policy, period);
                    }
                }
                if (locked) {
                    // this rotation, and what a process that died before shifting left, shifted once the locks are let
                    // go; not waited for: a holder of the lock on the backups shifts them (the generation moved on)
                    backups = beginShift(policy);
                }
                if (policy.suffix().compression() != RotationSuffix.Compression.NONE) {
                    BackupCompressor.sweep(this, policy); // what a JVM stopped part way left uncompressed
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                IOException unlockFailure = guard.unlockAll();
                if (failure == null) {
                    failure = unlockFailure;
                }
            }
            shiftProblems = backups != null ? shiftBackups(backups, policy, null)
                    : backupsLockFailure != null ? shiftFailed(backupsLockFailure, null) : null;
        } finally {
            endShift(backups);
        }
        if (shiftProblems != null && failure == null) {
            failure = shiftProblems.get(0);
        }
        return failure;
    }

    /**
     * Writes a record (and any other queued ones) and returns once it is in the file or has failed. Problems that
     * concern the file rather than the record (a failed rotation) go to {@code errors}, after the lock is released,
     * so an error manager that logs cannot re-enter the lock.
     *
     * @return why the record is not in the file, or null if it is
     */
    IOException write(String text, Charset charset, WritePolicy policy, long time, ErrorSink errors) {
        if (LockFileGuard.heldByCurrentThread()) {
            // logged from within a file's write (an encoder that logs): waiting could deadlock; written with the next
            // batch instead
            buffer(text, charset, policy, time, errors);
            return null;
        }
        if (bufferedChars.get() == 0) { // else buffered records, maybe this thread's, go first
            IOException outcome = lockFree.append(text, charset, policy, time);
            if (outcome != LockFreeAppender.NOT_TAKEN) {
                return outcome;
            }
        }
        PendingRecord record = PendingRecord.waiting(text, charset, policy, time);
        queue.add(record);
        writeQueued(record, errors);
        return record.failure();
    }

    /**
     * Buffers a record (autoFlush=false): it is written with the next batch, once {@link #BUFFER_LIMIT} characters
     * are buffered, or by the {@link BufferFlusher} within its delay. Failures go to {@code errors}.
     */
    void buffer(String text, Charset charset, WritePolicy policy, long time, ErrorSink errors) {
        // logged from within a write (an encoder that logs): never wait for a lock there; and the batch being taken
        // takes this record too, so an encoder that logs every time must not keep it going for ever
        boolean within = LockFileGuard.heldByCurrentThread();
        if (within && charsLoggedWithin.addAndGet(text.length()) > BUFFER_LIMIT) {
            errors.report("More than " + BUFFER_LIMIT + " characters logged from within one write to " + path
                    + "; record not written", null, ErrorManager.WRITE_FAILURE);
            return;
        }
        PendingRecord record = PendingRecord.buffered(text, charset, policy, time, errors);
        // counted before it is queued, so no batch takes it uncounted; uncounted again if the queue cannot take it
        long chars = bufferedChars.addAndGet(text.length());
        try {
            queue.add(record);
        } catch (Error e) {
            bufferedChars.addAndGet(-text.length());
            throw e;
        }
        if (chars < BUFFER_LIMIT || within) {
            BufferFlusher.watch(this);
        } else {
            flush(errors);
        }
    }

    /** Writes whatever is buffered now (flush, close, the flusher thread, JVM shutdown). */
    void flush() {
        flush((message, exception, code) -> {
            // with no handler to tell, problems of the file are reported with the records that failed
        });
    }

    /** Writes everything queued or buffered before this call; returns once it is written (or has failed). */
    void flush(ErrorSink errors) {
        writeQueued(null, errors);
    }

    /**
     * Takes the in-JVM lock, waiting in line for it, and writes what is queued, unless {@code record} (if not null) was
     * written meanwhile by the thread before (group commit). Either way {@code record} is done on return: it was queued
     * before the lock was taken, so this thread's batch takes it if no earlier one did (if an Error kept that batch
     * from completing it, it fails). Problems are reported to {@code errors} once the lock is let go.
     */
    private void writeQueued(PendingRecord record, ErrorSink errors) {
        List<IOException> problems = null;
        List<PendingRecord> failedBuffered = null;
        WritePolicy parked = null;
        LockFileGuard.BackupsLock backups = null;
        try {
            guard.lockInJvm();
            try {
                if (closed) {
                    // released by its last handler while this thread came to write: the handler looks again
                    if (record != null && !record.isDone()) {
                        record.complete(CLOSED);
                    }
                } else if (record == null || !record.isDone()) {
                    problems = drain();
                    if (record != null && !record.isDone()) {
                        record.complete(BatchWriter.NOT_WRITTEN); // taken, but an Error kept its batch from completing
                    }
                    failedBuffered = batch.takeFailedBuffered();
                    parked = writer.takeParked();
                    if (parked != null && shiftDue()) {
                        backups = beginShift(parked);
                    }
                }
            } finally {
                IOException unlockFailure = guard.unlockAll();
                if (unlockFailure != null) {
                    problems = BatchWriter.add(problems, unlockFailure);
                }
            }
            if (backups != null) {
                problems = shiftBackups(backups, parked, problems);
            } else if (parked != null && backupsLockFailure != null) {
                problems = shiftFailed(backupsLockFailure, problems);
            }
        } finally {
            endShift(backups);
        }
        if (problems != null) {
            for (IOException problem : problems) {
                errors.report(problem.getMessage(), problem, ErrorManager.GENERIC_FAILURE);
            }
        }
        if (failedBuffered != null) {
            for (PendingRecord failed : failedBuffered) {
                failed.errors.report("Unable to write a buffered record: " + failed.failure().getMessage(),
                        failed.failure(), ErrorManager.WRITE_FAILURE);
            }
        }
    }

    /**
     * Shifts the backups of the size rotations parked, holding only the lock on the backups: the others append and
     * rotate meanwhile, and the threads of this JVM have the in-JVM lock. Whoever holds that lock shifts for every
     * process: a rotation that finds it taken leaves its file parked, and the holder, once it lets go, shifts once more
     * if the generation moved on meanwhile (a file may have been parked) and the lock is free. No more than that: under
     * a steady load the next rotation shifts, and a publisher must not shift for the others for ever. {@code first}
     * comes from {@link #beginShift}; the caller ends the shift with {@link #endShift}.
     */
    private List<IOException> shiftBackups(LockFileGuard.BackupsLock first, WritePolicy policy,
            List<IOException> problems) {
        List<IOException> found = problems;
        LockFileGuard.BackupsLock backups = first;
        try {
            for (int pass = 1; backups != null; pass++) {
                LockFileState shared = guard.state();
                long generation = shared == null ? Long.MAX_VALUE : shared.generation();
                boolean shifted = false;
                try {
                    for (Path backup : output.tidyBackups(policy, generation)) {
                        rotated(backup, policy);
                    }
                    shiftFailing = false;
                    shiftFailures = 0;
                    shifted = true;
                } catch (IOException e) {
                    found = shiftFailed(e, found);
                    if (policy.suffix().compression() != RotationSuffix.Compression.NONE) {
                        BackupCompressor.sweep(this, policy); // what the chains that did shift made
                    }
                } finally {
                    guard.releaseBackups(backups);
                }
                // a failed shift is tried again by the next rotation; without a shared state every rotation shifts
                if (!shifted || shared == null || shared.generation() == generation || pass == 2) {
                    return found;
                }
                guard.lockInJvm();
                try {
                    backups = tryLockBackups(policy); // also once the file closed: its close waits for the shift
                } finally {
                    IOException unlockFailure = guard.unlockAll();
                    if (unlockFailure != null) {
                        found = BatchWriter.add(found, unlockFailure);
                    }
                }
            }
            return found;
        } finally {
            if (backups != null) {
                guard.releaseBackups(backups); // let go of already unless an Error came before the pass's own release
            }
        }
    }

    /**
     * Takes the lock on the backups for a shift (see {@link #tryLockBackups}), under the in-JVM lock, and counts the
     * shift: the file's close waits until every shift counted has ended, so it is counted before the file can close.
     *
     * @return the lock, or null: no shift
     */
    private LockFileGuard.BackupsLock beginShift(WritePolicy policy) {
        LockFileGuard.BackupsLock backups = tryLockBackups(policy);
        if (backups != null) {
            shifting.incrementAndGet();
        }
        return backups;
    }

    /**
     * Ends a shift that {@link #beginShift} began (nothing if {@code first} is null), in a {@code finally}: lets go of
     * its first lock if the shift did not (an Error came first), so that no Error leaves it held and
     * {@link LockFileGuard#close} waiting for it for ever, and wakes a close waiting for the shifts.
     */
    private void endShift(LockFileGuard.BackupsLock first) {
        if (first == null) {
            return;
        }
        try {
            guard.releaseBackups(first);
        } finally {
            if (shifting.decrementAndGet() == 0) {
                synchronized (shifting) {
                    shifting.notifyAll();
                }
            }
        }
    }

    /**
     * {@link LockFileGuard#tryLockBackups}, null on failure too (the next rotation shifts then), null if
     * {@code policy} keeps no backups to shift or prune, and null while appends a drain stopped waiting for may still
     * land in a backup, which a shift could delete (see {@link LockFileGuard#appendsInFlightToBackups}).
     */
    private LockFileGuard.BackupsLock tryLockBackups(WritePolicy policy) {
        try {
            LockFileGuard.BackupsLock lock = tidiesBackups(policy) && !guard.appendsInFlightToBackups()
                    ? guard.tryLockBackups() : null;
            backupsLockFailure = null;
            return lock;
        } catch (IOException e) {
            backupsLockFailure = new IOException("Unable to lock the backups of " + path + " to shift them ("
                    + e.getMessage() + "); the newest wait at their parked names and the shift is retried", e);
            return null;
        }
    }

    /**
     * Notes a shift that failed (or could not lock the backups): it is retried after a pause (see {@link #shiftDue}),
     * and reported once until one succeeds.
     *
     * @return {@code found}, with the failure if it is to be reported
     */
    private List<IOException> shiftFailed(IOException e, List<IOException> found) {
        backupsLockFailure = null;
        shiftFailedAt = System.nanoTime();
        shiftFailures = Math.min(shiftFailures + 1, 32);
        if (shiftFailing) {
            return found;
        }
        shiftFailing = true;
        return BatchWriter.add(found, e);
    }

    /**
     * Whether a rotation's shift may be tried: after {@code n} failed shifts in a row, not within
     * {@link Timings#rotationRetryNanos} times 2^(n-1), at most a minute, of the last. A shift that a refused rename
     * fails is thus not tried again for every rotation.
     */
    private boolean shiftDue() {
        int failures = shiftFailures;
        if (failures == 0) {
            return true;
        }
        long pause = Math.min(MAX_SHIFT_BACKOFF_NANOS, timings.rotationRetryNanos << Math.min(failures - 1, 20));
        return System.nanoTime() - shiftFailedAt >= pause;
    }

    private static boolean tidiesBackups(WritePolicy policy) {
        return policy.maxBackupIndex() > 0 || policy.suffix().timed() && policy.maxHistory() > 0;
    }

    /**
     * Shifts what is parked now, waiting at most {@code lockTimeout} for the lock on the backups: when a handler
     * closes, so that no file stays parked once the last writer is gone (a rotation that found the lock taken left its
     * file to a holder that may have closed since). Problems go to {@code errors}.
     */
    void shiftParked(WritePolicy policy, ErrorSink errors) {
        if (!tidiesBackups(policy)) {
            return;
        }
        List<IOException> problems = null;
        LockFileGuard.BackupsLock[] backups = new LockFileGuard.BackupsLock[1];
        try {
            try {
                // a shift of this JVM's under way takes what is parked, in a second pass for what was parked after
                // it read the generation (the file's close waits for it)
                underBackupsLock(() -> shifting.get() > 0 || guard.appendsInFlightToBackups()
                        || (backups[0] = beginShift(policy)) != null, policy.lockTimeoutNanos());
            } catch (IOException e) {
                // closed, the lock file cannot be opened (the writes said so, and parked nothing), or held past the
                // timeout
            }
            if (backups[0] != null) {
                problems = shiftBackups(backups[0], policy, problems);
            }
        } finally {
            endShift(backups[0]);
        }
        if (problems != null) {
            for (IOException problem : problems) {
                errors.report(problem.getMessage(), problem, ErrorManager.GENERIC_FAILURE);
            }
        }
    }

    private List<IOException> drain() {
        List<IOException> problems = null;
        boolean written = false;
        try {
            charsLoggedWithin.set(0);
            // encode what is queued before taking the OS lock, so other processes wait less; what comes meanwhile joins
            batch.take(queue);
            if (batch.isEmpty()) {
                return null; // written meanwhile by the thread before
            }
            if (writer.appendReserved(batch.records(), batch.encoded())) {
                written = true;
                return null;
            }
            IOException lockProblem = writer.lock(batch.firstPolicy(), true);
            batch.take(queue);
            if (writer.awaitedAppends()) {
                if (writer.appendReserved(batch.records(), batch.encoded())) {
                    written = true;
                    return null; // another process rotated meanwhile
                }
                lockProblem = writer.lock(batch.firstPolicy(), false);
                batch.take(queue);
            }
            if (lockProblem != null) {
                problems = BatchWriter.add(null, lockProblem);
            }
            written = true; // the writer completes every record, whatever happens
            if (writer.appendReserved(batch.records(), batch.encoded())) {
                return problems; // the lock was only waited for while another process rotated
            }
            return BatchWriter.addAll(problems, writer.write(batch.records(), batch.encoded()));
        } finally {
            // counted off only now: until buffered records are written, no record goes around them (see write)
            bufferedChars.addAndGet(-batch.finish(written));
        }
    }

    /** Hands a new backup to the compressor if the suffix asks for compression. */
    private void rotated(Path backup, WritePolicy policy) {
        if (policy.suffix().compression() != RotationSuffix.Compression.NONE) {
            BackupCompressor.compress(this, backup, policy);
        }
    }

    /** What a log file's action under its locks does; it may fail. */
    @FunctionalInterface
    interface LockedAction {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} under the in-JVM lock and the lock on the backups, for work on backups off the publishing
     * threads (compression).
     *
     * @throws IOException if the action fails, the file is closed, or another process held the lock on the backups past
     *                     the timeout
     */
    void underLocks(LockedAction action, long lockTimeoutNanos) throws IOException {
        underBackupsLock(() -> {
            LockFileGuard.BackupsLock backups = guard.tryLockBackups();
            if (backups != null) {
                try {
                    action.run();
                } finally {
                    guard.releaseBackups(backups);
                }
            }
            return backups != null;
        }, lockTimeoutNanos);
    }

    /** One try of a wait for the lock on the backups (see {@link #underBackupsLock}). */
    @FunctionalInterface
    private interface BackupsTry {
        /** @return whether the wait is over: the lock was got (and used), or is no longer needed */
        boolean run() throws IOException;
    }

    /**
     * Waits at most {@code timeoutNanos} for the lock on the backups, with {@code attempt}: each try under the in-JVM
     * lock, the pauses between them without it, as long as the OS lock's (see {@link LockFileGuard#pause}): other
     * processes that shift often leave it free only briefly. A process that holds the lock on the
     * backups for long (stopped) thus never holds up this JVM's appends, which need the in-JVM lock now and then.
     *
     * @throws IOException if the file is closed, the lock was still held when the time was up, or the attempt failed
     */
    private void underBackupsLock(BackupsTry attempt, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = LockFileGuard.FIRST_PAUSE_NANOS;
        while (true) {
            boolean done;
            IOException failure;
            guard.lockInJvm();
            try {
                if (closed) {
                    throw new IOException(path + " is closed");
                }
                done = attempt.run();
            } finally {
                failure = guard.unlockAll();
            }
            if (failure != null) {
                throw failure;
            }
            long left = deadline - System.nanoTime();
            if (done) {
                return;
            }
            if (left <= 0) {
                throw new IOException("The backups of " + path + " were locked by another process for longer than "
                        + "lockTimeout");
            }
            pause = LockFileGuard.pause(pause, left);
        }
    }

    /**
     * Whether appends a drain stopped waiting for may still land in a backup (see
     * {@link LockFileGuard#appendsInFlightToBackups}); under {@link #underLocks}.
     */
    boolean appendsInFlightToBackups() throws IOException {
        return guard.appendsInFlightToBackups();
    }

    /**
     * Reports a failed compression, once until one succeeds.
     *
     * @return whether to try again later (false once the file is closed)
     */
    boolean compressionFailed(Path backup, Exception e) {
        stats.compressionFailed();
        if (isClosed()) {
            return false;
        }
        if (!compressionFailing) {
            compressionFailing = true;
            ErrorSink errors = reporter;
            if (errors != null) {
                errors.report("Unable to compress " + backup + "; it is kept uncompressed and tried again in a minute: "
                        + e.getMessage(), e, ErrorManager.WRITE_FAILURE);
            }
        }
        return true;
    }

    void compressionSucceeded() {
        stats.compressionDone();
        compressionFailing = false;
    }

    private boolean isClosed() {
        guard.lockInJvm();
        try {
            return closed;
        } finally {
            guard.unlockAll();
        }
    }

    /** Waits, for a bounded time, for the compressions this JVM has started on the file's backups. */
    void awaitCompressions() {
        BackupCompressor.awaitIdle(this);
    }

    private void close() {
        flush();
        guard.lockInJvm();
        try {
            closed = true; // no shift starts any more
            output.close();
        } finally {
            guard.unlockAll();
        }
        awaitShifts();
        GUARDS.release(guard.path(), guard, LockFileGuard::close);
        monitor.unregister();
    }

    /**
     * Waits until the shifts of this JVM's threads have ended, their second passes included: those take what was parked
     * while the first ran, which no one else shifts once this JVM has closed the file.
     */
    private void awaitShifts() {
        boolean interrupted = false;
        synchronized (shifting) {
            while (shifting.get() > 0) {
                try {
                    shifting.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What this JVM did to the file (see {@link LogFileMonitor}). */
    LogFileStats stats() {
        return stats;
    }

    /** Where problems go: the handler's {@code reportError}. */
    @FunctionalInterface
    interface ErrorSink {
        void report(String message, Exception exception, int code);
    }
}

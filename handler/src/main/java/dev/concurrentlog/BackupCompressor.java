package dev.concurrentlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Compresses backups off the publishing threads and outside the OS lock: one daemon thread per JVM works through the
 * backups that rotations hand it. A backup is compressed into a hidden temporary file beside it,
 * {@code .BACKUP.gz.tmp}, which its compressor holds an OS lock on, so no two processes compress one backup and a
 * temporary file whose compressor died is known by its free lock. Then, under the log's locks, if the backup is still
 * the file that was read (no rotation moved it, nobody appended to it), the temporary file is renamed to
 * {@code BACKUP.gz} and the backup deleted; otherwise it is tried again under its new name.
 * <p>
 * The raw backup stays until its compressed form is complete: a JVM killed or stopped part way leaves it, and the next
 * sweep (when a log is opened, and after each rotation) compresses it and deletes the stale temporary file. A failure
 * (a full disk) deletes the temporary file, keeps the backup, is reported once and is retried a minute later.
 * Compression is at the fastest level: log text still shrinks several times, for a fraction of the processor time.
 */
final class BackupCompressor {

    /** How long after a failure a backup is tried again. */
    static final long RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long closing a log waits for its backups to be compressed. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long after finding appends in flight to a backup (see {@code OneBackup}) a sweep looks again. */
    private static final long STRAGGLER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final DelayQueue<Job> JOBS = new DelayQueue<>();
    /** How many jobs due now (not retries) each log has queued or under way; guarded by the class. */
    private static final Map<SharedLogFile, Integer> OUTSTANDING = new HashMap<>();
    private static Thread thread;

    private BackupCompressor() {
    }

    /**
     * A backup to compress, or (with a null backup) a sweep of the log's directory, due at {@code dueNanos}; a retry
     * after a failure is not waited for by {@link #awaitIdle}.
     */
    private record Job(SharedLogFile log, Path backup, WritePolicy policy, long dueNanos, boolean retry)
            implements Delayed {

        static Job now(SharedLogFile log, Path backup, WritePolicy policy) {
            return new Job(log, backup, policy, System.nanoTime(), false);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Job) other).dueNanos);
        }

    }

    /** Compresses {@code backup}, just rotated out of {@code log}, then sweeps the log's directory. */
    static void compress(SharedLogFile log, Path backup, WritePolicy policy) {
        submit(Job.now(log, backup, policy));
        submit(Job.now(log, null, policy));
    }

    /** Looks for backups of {@code log} left uncompressed (a JVM killed or stopped part way) and compresses them. */
    static void sweep(SharedLogFile log, WritePolicy policy) {
        submit(Job.now(log, null, policy));
    }

    /**
     * Waits until no compression of {@code log} is due or under way, at most {@link #CLOSE_WAIT_NANOS}; retries after a
     * failure are not waited for.
     *
     * @return whether it became idle in time
     */
    static synchronized boolean awaitIdle(SharedLogFile log) {
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        boolean interrupted = false;
        try {
            while (OUTSTANDING.containsKey(log)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    BackupCompressor.class.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static synchronized void submit(Job job) {
        if (job.backup == null && JOBS.stream().anyMatch(queued -> queued.log == job.log && queued.backup == null
                && !queued.retry)) {
            return; // a sweep is already due
        }
        job.log.stats().compressionQueued();
        if (!job.retry) {
            OUTSTANDING.merge(job.log, 1, Integer::sum);
        }
        JOBS.add(job);
        if (thread == null) {
            thread = DaemonThreads.start("concurrent-log-handler compressor", BackupCompressor::run);
        }
    }

    private static void run() {
        while (true) {
            Job job;
            try {
                job = JOBS.take();
            } catch (InterruptedException e) {
                continue; // nobody should interrupt this thread; if someone does, keep going
            }
            try {
                if (job.backup == null) {
                    sweepNow(job);
                } else {
                    compressNow(job);
                }
            } catch (RuntimeException | Error e) {
                // reported where it could be; this thread must not die
            } finally {
                job.log.stats().compressionEnded();
                if (!job.retry) {
                    done(job.log);
                }
            }
        }
    }

    /** Whether {@code backup} failed lately and waits for its retry: a sweep leaves it alone until then. */
    private static synchronized boolean retryPending(SharedLogFile log, Path backup) {
        return JOBS.stream().anyMatch(job -> job.retry && job.log == log && backup.equals(job.backup));
    }

    private static synchronized void done(SharedLogFile log) {
        OUTSTANDING.computeIfPresent(log, (key, count) -> count == 1 ? null : count - 1);
        BackupCompressor.class.notifyAll();
    }

    private static void sweepNow(Job job) {
        Path file = job.log.path();
        try {
            for (Path backup : BackupRotator.backups(file, job.policy.suffix())) {
                String name = backup.getFileName().toString();
                if (!name.endsWith(RotationSuffix.Compression.GZIP.extension)
                        && !name.endsWith(RotationSuffix.Compression.ZIP.extension)
                        && !retryPending(job.log, backup)) {
                    compressNow(new Job(job.log, backup, job.policy, job.dueNanos, job.retry));
                }
            }
            String tempPrefix = "." + file.getFileName();
            try (var siblings = Files.newDirectoryStream(file.getParent(),
                    p -> p.getFileName().toString().startsWith(tempPrefix) && p.toString().endsWith(".tmp"))) {
                for (Path temp : siblings) {
                    job.log.underLocks(() -> deleteIfStale(temp), job.policy.lockTimeoutNanos());
                }
            }
        } catch (IOException e) {
            job.log.compressionFailed(file, e);
        }
    }

    private static void compressNow(Job job) {
        new OneBackup(job).compress();
    }

    /** The compression of one backup: its claim, the work, and the rename into place. */
    private static final class OneBackup {
        private final Job job;
        private final Path backup;
        private final RotationSuffix.Compression compression;
        private final Path temp;
        /** The backup's attributes when claimed, and the backup itself, opened then: a rotation may move it later. */
        private BasicFileAttributes read;
        private InputStream in;
        /** The temporary file, held under an OS lock, and its identity. */
        private FileChannel out;
        private Object tempKey;
        /**
         * Whether appends that a drain stopped waiting for may still land in a backup: then the backup stays raw, and
         * a sweep tries again shortly (see {@link LockFileGuard#appendsInFlightToBackups}).
         */
        private boolean waitForStragglers;

        OneBackup(Job job) {
            this.job = job;
            this.backup = job.backup;
            this.compression = job.policy.suffix().compression();
            this.temp = backup.resolveSibling("." + backup.getFileName() + compression.extension + ".tmp");
        }

        void compress() {
            try {
                job.log.underLocks(this::claim, job.policy.lockTimeoutNanos());
                if (waitForStragglers) {
                    submit(new Job(job.log, null, job.policy, System.nanoTime() + STRAGGLER_PAUSE_NANOS, false));
                    return;
                }
                if (out == null) {
                    return; // compressed already, or another process is at it
                }
                // Nothing may open the temporary file by its path from here on (not even to set its time): closing
                // any descriptor of a file drops this process's lock on it, and another process would take it for
                // stale.
                write(in, out, compression, job.log.path().getFileName().toString());
                out.force(true);
                boolean[] moved = new boolean[1];
                job.log.underLocks(() -> moved[0] = renameIntoPlace(), job.policy.lockTimeoutNanos());
                if (waitForStragglers) {
                    submit(new Job(job.log, null, job.policy, System.nanoTime() + STRAGGLER_PAUSE_NANOS, false));
                } else if (!moved[0]) {
                    sweep(job.log, job.policy); // moved away meanwhile, or appended to: a later sweep finds it
                }
                job.log.compressionSucceeded();
            } catch (IOException | RuntimeException e) {
                if (out != null) {
                    try {
                        job.log.underLocks(this::deleteTemp, job.policy.lockTimeoutNanos());
                    } catch (IOException | RuntimeException ignored) {
                        // once closed below, it is stale: a later sweep deletes it
                    }
                }
                if (job.log.compressionFailed(backup, e)) {
                    submit(new Job(job.log, backup, job.policy, System.nanoTime() + RETRY_NANOS, true));
                }
            } finally {
                closeQuietly(in);
                closeQuietly(out);
            }
        }

        /** Under the log's locks, as sweeps delete stale temporary files: so the file made is ours. */
        private void claim() throws IOException {
            if (job.log.appendsInFlightToBackups()) {
                waitForStragglers = true; // they may land in this backup: its raw form must stay until they have
                return;
            }
            read = BackupRotator.attributes(backup);
            if (read == null || !read.isRegularFile() || !deleteIfStale(temp)) {
                return;
            }
            job.policy.creator().createIfMissing(temp);
            out = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (lockQuietly(out) == null) {
                throw new IOException(temp + " was locked by another process as it was created");
            }
            tempKey = BackupRotator.attributes(temp).fileKey();
            in = Files.newInputStream(backup, LinkOption.NOFOLLOW_LINKS);
        }

        /**
         * Under the log's locks: if the backup is the file that was read, same size and time (size rotations may have
         * shifted it up its chain), the temporary file becomes its compressed form and the backup is deleted.
         *
         * @return whether it was; if not, the temporary file is deleted
         */
        private boolean renameIntoPlace() throws IOException {
            if (!isOurs(temp, tempKey)) {
                throw new IOException(temp + " was replaced while " + backup + " was compressed into it");
            }
            if (job.log.appendsInFlightToBackups()) {
                waitForStragglers = true;
                Files.delete(temp);
                return false;
            }
            Path at = backup;
            BasicFileAttributes now = BackupRotator.attributes(at);
            if (now == null || !Objects.equals(now.fileKey(), read.fileKey())) {
                at = BackupRotator.findShifted(backup, read.fileKey());
                now = at == null ? null : BackupRotator.attributes(at);
            }
            if (now == null || now.size() != read.size() || !now.lastModifiedTime().equals(read.lastModifiedTime())) {
                Files.delete(temp);
                return false;
            }
            // the time its records were last written, as gzip keeps it: a time backup kept when its period comes
            // again is placed in its chain by it (see BackupRotator.Displaced)
            Files.setLastModifiedTime(temp, read.lastModifiedTime());
            Files.move(temp, at.resolveSibling(at.getFileName() + compression.extension),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(at);
            return true;
        }

        private void deleteTemp() throws IOException {
            if (isOurs(temp, tempKey)) {
                Files.delete(temp);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable open) {
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // nothing was buffered
            }
        }
    }

    /** Whether {@code temp} is still the file this compressor made (identity read when it was made). */
    private static boolean isOurs(Path temp, Object key) throws IOException {
        BasicFileAttributes attributes = BackupRotator.attributes(temp);
        return key != null && attributes != null && key.equals(attributes.fileKey());
    }

    private static void write(InputStream in, FileChannel channel, RotationSuffix.Compression compression,
            String entryName) throws IOException {
        OutputStream target = Channels.newOutputStream(channel); // not closed: that would close the channel
        if (compression == RotationSuffix.Compression.ZIP) {
            ZipOutputStream zip = new ZipOutputStream(target);
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry(entryName));
            in.transferTo(zip);
            zip.closeEntry();
            zip.finish();
            zip.flush();
        } else {
            GZIPOutputStream gzip = new GZIPOutputStream(target, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            in.transferTo(gzip);
            gzip.finish();
            gzip.flush();
        }
    }

    /**
     * Deletes {@code temp} if no process holds its lock (its compressor died); the log's locks are held.
     *
     * @return true if there is no temporary file now, false if a compressor is at work on it
     */
    private static boolean deleteIfStale(Path temp) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return true;
        }
        try (channel) {
            if (lockQuietly(channel) == null) {
                return false;
            }
            Files.deleteIfExists(temp);
            return true;
        }
    }

    private static FileLock lockQuietly(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM's compressor holds it
        }
    }
}

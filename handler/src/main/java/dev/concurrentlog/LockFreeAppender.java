package dev.concurrentlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Appends one record that its publisher waits for ({@code autoFlush=true}) without any lock: neither the in-JVM lock
 * nor the OS lock. This is the common path; whatever it cannot take goes through {@link SharedLogFile}'s queue and
 * {@link BatchWriter}, under the in-JVM lock.
 * <p>
 * The record's bytes are reserved in the shared ticket ({@link LockFileState#reserve}), marked in flight in this JVM's
 * slot, and appended with one {@code O_APPEND} write to the file {@link LogFileOutput} last found at the path for the
 * ticket's generation. It is not taken when the ticket is closed (a process rotates or repairs) or open for another
 * file (another process rotated: the locked path reopens), when the record would take the file past its rotate size or
 * into a new period, when the file's identity is due to be checked again, and when this JVM has no slot.
 * <p>
 * Threads of one JVM append side by side; the kernel makes each append whole. A process that closes the ticket waits
 * for this JVM's appends in flight as for any other process's.
 */
final class LockFreeAppender {

    /** The outcome of a record this path did not take: nothing was reserved, and it goes through the locked path. */
    static final IOException NOT_TAKEN = new IOException("Not appended without a lock") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final Path path;
    private final LockFileGuard guard;
    private final LogFileOutput output;
    private final Timings timings;
    private final LogFileStats stats;

    LockFreeAppender(Path path, LockFileGuard guard, LogFileOutput output, Timings timings, LogFileStats stats) {
        this.path = path;
        this.guard = guard;
        this.output = output;
        this.timings = timings;
        this.stats = stats;
    }

    /**
     * Appends {@code text} if it can be done without a lock.
     *
     * @return null if the record is in the file; {@link #NOT_TAKEN} if it must go through the locked path; otherwise
     *         why the write failed (a full disk): the end of the file is then unknown until a process takes the OS lock
     */
    IOException append(String text, Charset charset, WritePolicy policy, long time) {
        LogFileOutput.AppendTarget target = output.appendTarget(); // published after the state was mapped
        LockFileState shared = guard.state();
        int slot = guard.appendSlot();
        if (shared == null || target == null || slot < 0
                || System.nanoTime() - target.checkedAt() >= timings.identityCheckNanos) {
            return NOT_TAKEN;
        }
        byte[] bytes = text.getBytes(charset);
        ByteBuffer data = ByteBuffer.wrap(bytes); // before the reservation: nothing allocates between it and the try
        long generation = target.generation();
        if (!shared.reserve(slot, generation, bytes.length,
                size -> policy.fitsWithoutRotation(size, bytes.length, time, shared::periodStart))) {
            return NOT_TAKEN;
        }
        IOException failure = null;
        boolean closed = false;
        boolean interrupted = false;
        try {
            // an interrupt during the write would close the channel under every thread: held back until it returns
            interrupted = Thread.interrupted();
            while (data.hasRemaining()) {
                target.channel().write(data);
            }
        } catch (ClosedChannelException e) {
            closed = true; // by an interrupt of a thread writing it, maybe once this one's write was done
            if (data.hasRemaining()) {
                shared.appendFailed(generation);
                failure = e;
            }
        } catch (IOException | RuntimeException e) {
            shared.appendFailed(generation);
            failure = e instanceof IOException io ? io : new IOException("Write to " + path + " failed", e);
        } catch (Error e) {
            shared.appendFailed(generation);
            throw e;
        } finally {
            if (failure == null && shared.generation() != generation) {
                shared.foreignWrite(); // landed after a rotation went on without it (lockTimeout): not counted
            }
            shared.landed(slot);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure == null && !closed) {
            stats.written(1, bytes.length);
            return null;
        }
        byte[] written = failure != null && data.position() > 0 ? Arrays.copyOf(bytes, data.position()) : null;
        guard.lockInJvm();
        try {
            if (closed) {
                output.unlockedAppendClosed(target);
            }
            if (failure != null) {
                output.unlockedAppendFailed(target, written);
            }
        } finally {
            guard.unlockAll();
        }
        if (failure == null) {
            stats.written(1, bytes.length);
            return null; // the record was written before the channel closed
        }
        if (!closed || written != null) {
            stats.writeFailed(1);
        }
        // closed before anything was written: written again under the lock
        return closed && written == null ? NOT_TAKEN : failure;
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

    /** How many direct buffers the appends of this JVM keep, at most. */
    private static final int BUFFERS = 16;
    /** The capacity of each; a longer record is written from a heap buffer. */
    private static final int BUFFER_SIZE = 8 * 1024;
    /**
     * Direct buffers the appends of every file copy their bytes into, each taken by one append at a time. A write from
     * a heap buffer would go through the JDK's cache of temporary direct buffers, which is per thread: the first write
     * of every new thread takes a path the compiled code never saw, and the JIT throws the compiled append away and
     * compiles it again. Shared by the JVM, so a handler configured later finds them made. An append that finds none
     * free writes from a heap buffer.
     */
    private static final AtomicReferenceArray<ByteBuffer> POOL = new AtomicReferenceArray<>(BUFFERS);
    private static final AtomicInteger ALLOCATED = new AtomicInteger();

    private final Path path;
    private final LockFileGuard guard;

    private final LogFileOutput output;
    private final Timings timings;

    LockFreeAppender(Path path, LockFileGuard guard, LogFileOutput output, Timings timings) {
        this.path = path;
        this.guard = guard;
        this.output = output;
        this.timings = timings;
    }

    /**
     * Appends {@code text} if it can be done without a lock. Never waits for one, so a record logged from within a write
     * (while this thread holds a file's in-JVM lock) may come here too.
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
        ByteBuffer data = take(bytes); // before the reservation: nothing allocates between it and the try
        long generation = target.generation();
        if (!shared.reserve(slot, generation, bytes.length,
                size -> policy.fitsWithoutRotation(size, bytes.length, time, shared::periodStart))) {
            giveBack(data);
            return NOT_TAKEN;
        }
        IOException failure = null;
        int written = 0;
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
            written = data.position();
            giveBack(data);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure == null && !closed) {
            return null;
        }
        byte[] part = failure != null && written > 0 ? Arrays.copyOf(bytes, written) : null;
        if (LockFileGuard.heldByCurrentThread()) {
            // logged from within a write, which must not wait for a lock: the next append finds a closed channel
            // again; a part written stays, on a line of its own (the ticket was closed with the end unknown)
            return failure == null ? null : closed && part == null ? NOT_TAKEN : failure;
        }
        guard.lockInJvm();
        try {
            if (closed) {
                output.unlockedAppendClosed(target);
            }
            if (failure != null) {
                output.unlockedAppendFailed(target, part);
            }
        } finally {
            guard.unlockAll();
        }
        if (failure == null) {
            return null; // the record was written before the channel closed
        }
        // closed before anything was written: written again under the lock
        return closed && part == null ? NOT_TAKEN : failure;
    }

    /** {@code bytes} in a direct buffer of the pool if one is free (one is made while fewer exist), or wrapped. */
    private static ByteBuffer take(byte[] bytes) {
        if (bytes.length <= BUFFER_SIZE) {
            for (int at = 0; at < BUFFERS; at++) { // from the first: every buffer shares a cache line or two anyway
                ByteBuffer buffer = POOL.get(at);
                if (buffer != null && POOL.compareAndSet(at, buffer, null)) {
                    return buffer.clear().put(bytes).flip();
                }
            }
            if (ALLOCATED.get() < BUFFERS) {
                if (ALLOCATED.incrementAndGet() <= BUFFERS) {
                    return ByteBuffer.allocateDirect(BUFFER_SIZE).put(bytes).flip();
                }
                ALLOCATED.decrementAndGet(); // another thread made the last one
            }
        }
        return ByteBuffer.wrap(bytes);
    }

    /** Returns {@code data} to the pool if it came from there. */
    private static void giveBack(ByteBuffer data) {
        if (!data.isDirect()) {
            return;
        }
        for (int at = 0; at < BUFFERS; at++) {
            if (POOL.get(at) == null && POOL.compareAndSet(at, null, data)) {
                return;
            }
        }
        ALLOCATED.decrementAndGet(); // passed every free slot while others filled them: dropped, made again later
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * This JVM's slot among the processes that append to a log without the OS lock, and the wait for the others' appends.
 * <p>
 * A JVM claims a slot by holding an exclusive OS lock on its byte of the lock file ({@link #FIRST_SLOT_BYTE} plus the
 * slot's number), which the kernel drops when the JVM dies. Each append of its threads counts itself in its slot of
 * the {@link LockFileState} before it reserves, and out once its bytes are written. A process that takes the OS lock
 * to rotate or repair the file first closes the ticket, then {@link #drain drains}: it waits until no live process
 * (this one included) has appends in flight for the open file. A slot still counted whose lock is free belongs to a
 * dead process, and is not waited for. Used under the lock file's in-JVM lock, but for {@link #appendSlot}.
 */
final class WriterSlots {

    private static final long FIRST_SLOT_BYTE = 16384;
    /** Appends in flight normally land within microseconds: look again this many times before asking the kernel. */
    private static final int SPINS = 200;
    private static final int YIELDS = 2 * SPINS;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /** How a drain ended. */
    enum Drain {
        /** Every reserved byte was written: the ticket counts the file's bytes. */
        CLEAN,
        /** A process died with bytes in flight: some may be missing, or part of a record. */
        DEAD_WRITER,
        /** A live process kept bytes in flight past the timeout (it is stopped or hung). */
        TIMED_OUT
    }

    private int slot = -1;
    private FileLock held;
    /** The slot for appends without any lock to mark themselves in: {@link #slot} as last claimed, or -1. */
    private volatile int appendSlot = -1;

    /** This JVM's slot, or -1 if it has none (every slot taken, or the channel was closed since it was claimed). */
    int slot() {
        return held != null && held.isValid() ? slot : -1;
    }

    /** This JVM's slot as last claimed, or -1, for appends that hold no lock; read without the in-JVM lock. */
    int appendSlot() {
        return appendSlot;
    }

    /**
     * Claims a slot on {@code channel} (again, after the channel was reopened: the old one's lock died with it),
     * trying the last one first; the OS mutex is held, so no process drains meanwhile.
     */
    void claim(FileChannel channel, LockFileState state) throws IOException {
        if (slot() >= 0) {
            return;
        }
        held = null;
        int first = Math.max(slot, 0);
        for (int i = 0; i < LockFileState.SLOTS; i++) {
            int candidate = (first + i) % LockFileState.SLOTS;
            try {
                FileLock lock = channel.tryLock(FIRST_SLOT_BYTE + candidate, 1, false);
                if (lock != null) {
                    // whatever a dead owner left; this JVM's own appends still count. A dead owner's appends in
                    // flight may be missing or cut short (a record cut at a page): the end becomes unknown, as after
                    // a drain that finds a dead writer, so the next write reads the size and ends an unfinished line
                    if (candidate != slot && state.clear(candidate)) {
                        state.endUnknown();
                    }
                    slot = candidate;
                    held = lock;
                    appendSlot = candidate;
                    return;
                }
            } catch (OverlappingFileLockException e) {
                // held by another copy of the handler in this JVM
            }
        }
        slot = -1; // all taken: this JVM writes under the OS lock
        appendSlot = -1;
    }

    /**
     * Claims a slot that no process holds and whose state is clear, without the OS mutex: for a JVM that writes
     * without the lock (another process held it past lockTimeout) before it ever held it, so that its writes count
     * in flight (see {@link #stragglers}). A slot a dead process left counting is left to {@link #claim}, under the
     * mutex, which ends the file's known end too.
     */
    void claimClear(FileChannel channel, LockFileState state) {
        if (slot() >= 0) {
            return;
        }
        for (int candidate = 0; candidate < LockFileState.SLOTS; candidate++) {
            if (state.slot(candidate) != 0) {
                continue;
            }
            try {
                FileLock lock = channel.tryLock(FIRST_SLOT_BYTE + candidate, 1, false);
                if (lock != null) {
                    if (state.slot(candidate) == 0) { // a holder of the slot's lock alone counts in it
                        slot = candidate;
                        held = lock;
                        appendSlot = candidate;
                        return;
                    }
                    lock.release();
                }
            } catch (OverlappingFileLockException e) {
                // held by another copy of the handler in this JVM
            } catch (IOException e) {
                return; // no slot: the writes go on uncounted, as with every slot taken
            }
        }
    }

    /**
     * Waits until no live process has bytes in flight for the file of {@code generation}, or {@code timeoutNanos} pass.
     * The OS lock is held and the ticket closed, so no one reserves meanwhile; slots of dead processes are cleared. This
     * JVM's own slot is waited for too: its threads append without the in-JVM lock.
     */
    Drain drain(FileChannel channel, LockFileState state, long generation, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean dead = false;
        for (int round = 0; ; round++) {
            boolean waiting = false;
            for (int i = 0; i < LockFileState.SLOTS; i++) {
                if (!state.inFlight(i, generation)) {
                    continue;
                }
                if (round < YIELDS || i == slot() || alive(channel, i)) {
                    waiting = true;
                } else {
                    state.clear(i);
                    dead = true;
                }
            }
            if (!waiting) {
                return dead ? Drain.DEAD_WRITER : Drain.CLEAN;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < YIELDS) {
                Thread.yield(); // the appender may be waiting for this processor
            } else if (deadline - System.nanoTime() <= 0) {
                return Drain.TIMED_OUT;
            } else {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
    }

    /**
     * Whether a live process (this one too) has appends in flight for a file older than that of {@code generation},
     * which a drain stopped waiting for: they land in that file, a backup by now, whenever they go on, so no backup may
     * be deleted or compressed meanwhile. Slots of dead processes in that state are cleared.
     */
    boolean stragglers(FileChannel channel, LockFileState state, long generation) {
        for (int i = 0; i < LockFileState.SLOTS; i++) {
            long word = state.slot(i);
            if (LockFileState.inFlightForAnother(word, generation)) {
                if (i == slot() || alive(channel, i)) {
                    return true;
                }
                state.clearIf(i, word); // not under the OS lock: only if no new owner claimed it meanwhile
            }
        }
        return false;
    }

    private static boolean alive(FileChannel channel, int slot) {
        try {
            FileLock probe = channel.tryLock(FIRST_SLOT_BYTE + slot, 1, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException | IOException e) {
            return true; // another copy of the handler in this JVM; or no answer: waited for, until the timeout
        }
    }

    /** The channel was closed, and the slot's lock with it. */
    void dropped() {
        held = null;
        appendSlot = -1;
    }
}

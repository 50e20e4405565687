package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mutual exclusion for one lock file: an in-JVM lock shared by every handler on the file, then an OS record lock
 * on byte 0 of the lock file, which the kernel drops when a process dies. The lock file is never renamed or deleted.
 * <p>
 * Byte 1 of the lock file carries the JVM's {@link GroupPresence}, byte 2 the lock on the backups (see
 * {@link #tryLockBackups}), bytes from 16384 the {@link WriterSlots}.
 * <p>
 * There is one channel per lock file per JVM (see {@link CountedRegistry}): closing any channel to the file would drop
 * all of the JVM's locks on it. Interrupts cannot break the guard: the caller's interrupt status is cleared while it
 * holds the guard and restored when it lets go, and every lock is taken with {@code tryLock}, which an interrupt does
 * not break (the blocking {@code lock} closes the channel when interrupted). Only the mapping of the shared state, once,
 * at the first open, can be hit by an interrupt; the channel is then reopened.
 */
final class LockFileGuard {

    private static final long MUTEX_BYTE = 0;
    private static final long BACKUPS_BYTE = 2;
    private static final int MAX_REOPENS = 5;
    /** The first pause of a wait for a lock (see {@link #pause}). */
    static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How many guards the thread holds; of a JDK type, so a thread's value cannot keep this class loader. */
    private static final ThreadLocal<int[]> HOLDS = ThreadLocal.withInitial(() -> new int[1]);

    private final Path path;
    private final FileCreator creator;
    private final ReentrantLock jvmLock = new ReentrantLock();
    /** How many locks on the backups this JVM holds on the channel; its monitor guards it. */
    private final int[] backupHolds = new int[1];
    /**
     * Whether the channel is to be closed once this JVM holds no lock on the backups on it: a release of the mutex
     * failed (closing the channel lets go of it) while a shift held byte 2, which closing it then would drop (see
     * {@link #dropChannel}). Written under the in-JVM lock.
     */
    private volatile boolean closeDeferred;

    // All below are guarded by jvmLock.
    private FileChannel channel;
    private FileLock mutex;
    private final GroupPresence presence = new GroupPresence();
    private final WriterSlots slots = new WriterSlots();
    private boolean wasInterrupted;
    /** Whether the last claim of a slot failed, and the failure not yet reported (see {@link #takeProblem}). */
    private boolean claimFailing;
    private IOException claimFailure;
    private boolean everOpened;
    /** Whether {@link #close} ran: the lock file is not opened again. */
    private boolean closedForGood;
    private LockFileState state;
    private boolean stateMapped;

    LockFileGuard(Path path, FileCreator creator) {
        this.path = path;
        this.creator = creator;
    }

    Path path() {
        return path;
    }

    /**
     * The state of the log kept in the lock file, or null if it could not be mapped (or the lock file was never
     * opened). Mapped once, under the in-JVM lock; {@link LockFreeAppender} reads it without a lock once a file was
     * published for it. What it holds is trusted only under the OS lock, or through the ticket.
     */
    LockFileState state() {
        return state;
    }

    /** Takes the in-JVM lock. The caller's interrupt status is held back until {@link #unlockAll()}. */
    void lockInJvm() {
        if (jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("Lock on " + path + " is already held by this thread");
        }
        jvmLock.lock();
        HOLDS.get()[0]++;
        wasInterrupted = Thread.interrupted();
    }

    /**
     * Holds back the caller's interrupt status until {@link #unlockAll()}: an interrupt that arrived while the in-JVM
     * lock is held closed a channel the caller writes, which it opens again and writes on.
     */
    void holdBackInterrupt() {
        wasInterrupted |= Thread.interrupted();
    }

    /**
     * Whether the current thread holds the in-JVM lock of any lock file (it is writing a log now, and a publish from
     * within that write must not wait for a lock: two such threads on two files would wait for each other).
     */
    static boolean heldByCurrentThread() {
        return HOLDS.get()[0] > 0;
    }

    /**
     * Releases the in-JVM lock (and the file lock, if still held) and restores the interrupt status.
     */
    IOException unlockAll() {
        IOException problem = mutex == null ? null : unlockFile();
        if (closeDeferred) {
            dropChannel(); // a shift that held byte 2 may have ended meanwhile, and found the in-JVM lock taken
        }
        boolean interrupt = wasInterrupted | Thread.interrupted();
        wasInterrupted = false;
        HOLDS.get()[0]--;
        jvmLock.unlock();
        if (interrupt) {
            Thread.currentThread().interrupt();
        }
        return problem;
    }

    /** How a wait for the OS lock ended (see {@link #lockFile(long, boolean)}). */
    enum Wait {
        /** The OS lock is held. */
        LOCKED,
        /** Another process still held the OS lock when the time was up. */
        TIMED_OUT,
        /** The OS lock is not held: the ticket, closed when the wait began, opened for appends again. */
        APPENDS_OPEN
    }

    /**
     * Takes the OS lock, waiting at most {@code timeoutNanos} for another process to let go of it; the in-JVM lock must
     * be held.
     *
     * @return true if the lock is held, false if another process still held it when the time was up
     */
    boolean lockFile(long timeoutNanos) throws IOException {
        return lockFile(timeoutNanos, false) == Wait.LOCKED;
    }

    /**
     * Takes the OS lock as {@link #lockFile(long)} does; with {@code untilAppendsOpen}, the wait also ends when appends
     * open again after the ticket was closed, or open for a newer file (another process rotated): a record that only
     * waited for a rotation is then appended without the OS lock, and not held up by work the rotating process does
     * after it opened appends (shifting the backups).
     */
    Wait lockFile(long timeoutNanos, boolean untilAppendsOpen) throws IOException {
        if (!jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("In-JVM lock on " + path + " is not held");
        }
        if (mutex != null) {
            return Wait.LOCKED;
        }
        if (closeDeferred) {
            dropChannel();
        }
        LockFileState watched = untilAppendsOpen ? state : null;
        long ticketBefore = watched == null ? 0 : watched.ticket();
        long deadline = System.nanoTime() + timeoutNanos;
        int closures = 0;
        while (true) {
            FileChannel open = openChannel();
            try {
                if (everOpened) {
                    presence.retake(open); // after a reopen: presence first, so the gap without it stays short
                }
                mutex = poll(open, MUTEX_BYTE, deadline, watched, ticketBefore);
                if (mutex == null) {
                    // not by the ticket read again: it may have closed once more since
                    if (watched != null && System.nanoTime() - deadline < 0) {
                        return Wait.APPENDS_OPEN;
                    }
                    if (state != null && !closeDeferred) {
                        slots.claimClear(open, state); // written without the lock now: counted in flight in it
                    }
                    return Wait.TIMED_OUT;
                }
                // the first presence under the mutex: a process starting at the same time probes before or after it;
                // after a reopen, unless a probe under way kept it from being taken above
                everOpened = true;
                presence.retake(open);
                if (state != null) {
                    try {
                        slots.claim(open, state);
                        claimFailing = false;
                    } catch (IOException e) {
                        // no slot: this JVM writes under the OS lock until a later claim succeeds
                        if (!claimFailing) {
                            claimFailing = true;
                            claimFailure = new IOException("No slot in " + path + " for appends without the lock (" + e
                                    + "); this JVM writes under the OS lock until it has one", e);
                        }
                    }
                }
                return Wait.LOCKED;
            } catch (ClosedChannelException e) {
                // An interrupt that arrived while the state was mapped closed the channel: remember it and reopen.
                // Interrupts never fail the records; anything else gives up at last.
                boolean interrupt = Thread.interrupted() || e instanceof ClosedByInterruptException;
                wasInterrupted |= interrupt;
                mutex = null;
                closeChannel();
                if (!interrupt && ++closures > MAX_REOPENS) {
                    throw new IOException("Lock file " + path + " was closed " + closures + " times while locking", e);
                }
            }
        }
    }

    /**
     * Gets the lock on byte {@code position} (the mutex, or the backups) by {@code deadline}, polling with
     * {@code tryLock} and pausing as {@link #pause} says. The OS lock is taken only to rotate, repair or open the file,
     * so waits are rare and short, and polling needs no watchdog thread to end a wait at the deadline. It also works
     * while another class loader's copy of the handler in this JVM holds the lock, which the JDK refuses to wait for.
     * While the channel is due to close (see {@link #closeDeferred}), nothing is taken on it: it is closed as soon as
     * the shift that holds byte 2 on it ends, and the next try fails with {@link ClosedChannelException}, so the caller
     * opens the lock file again.
     *
     * @param watched if not null, the state whose ticket ends the wait once it reopened since it was
     *                {@code ticketBefore} (see {@link LockFileState#reopenedSince})
     * @return the lock, or null if the deadline passed or the watched ticket reopened
     */
    private FileLock poll(FileChannel open, long position, long deadline, LockFileState watched, long ticketBefore)
            throws IOException {
        long pauseNanos = FIRST_PAUSE_NANOS;
        while (true) {
            FileLock lock = null;
            if (closeDeferred) {
                dropChannel();
            }
            if (!closeDeferred) {
                try {
                    lock = open.tryLock(position, 1, false);
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
            }
            if (lock != null) {
                return lock;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || watched != null && watched.reopenedSince(ticketBefore)) {
                return null;
            }
            pauseNanos = pause(pauseNanos, remaining);
            wasInterrupted |= Thread.interrupted();
        }
    }

    /**
     * The pause between two tries for a lock file's locks: parks for {@code pauseNanos}, at most {@code remainingNanos},
     * and returns the next pause, twice as long up to {@link #MAX_PAUSE_NANOS}. Start with {@link #FIRST_PAUSE_NANOS}:
     * other processes hold the locks only briefly. The pause grows to a millisecond, not less: with many processes per
     * core, waiters that wake more often take the processor from the process that holds the lock.
     */
    static long pause(long pauseNanos, long remainingNanos) {
        LockSupport.parkNanos(LockFileGuard.class, Math.min(pauseNanos, remainingNanos));
        return Math.min(2 * pauseNanos, MAX_PAUSE_NANOS);
    }

    /**
     * Tries the OS lock on the backups (byte 2): its holder alone moves, deletes or compresses backups. It is kept apart
     * from the mutex so that shifting the backups after a size rotation stops no one appending or rotating, and it may
     * be held after the in-JVM lock is let go (see {@link #releaseBackups}); it is taken under the in-JVM lock, after
     * the mutex if that is held. It is never waited for under another lock: a process stopped while it holds byte 2
     * must not stop the others' appends (see {@link SharedLogFile#underBackupsLock}).
     *
     * @return the lock, or null if another process, or another thread of this JVM, holds it, or the channel is due to
     *         close
     */
    BackupsLock tryLockBackups() throws IOException {
        if (!jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("In-JVM lock on " + path + " is not held");
        }
        if (closeDeferred) {
            return null;
        }
        BackupsLock hold = new BackupsLock(); // before the lock is taken: nothing allocates between it and the count
        try {
            hold.lock = openChannel().tryLock(BACKUPS_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            return null;
        }
        if (hold.lock == null) {
            return null;
        }
        synchronized (backupHolds) {
            backupHolds[0]++;
        }
        return hold;
    }

    /** A hold of the lock on the backups, let go of by {@link #releaseBackups} once, however often that is called. */
    static final class BackupsLock {
        private FileLock lock;
        private boolean released;
    }

    /**
     * A problem found while taking the OS lock that did not keep it from being taken (a failed claim of a slot), to
     * report once; null if none. The in-JVM lock is held.
     */
    IOException takeProblem() {
        IOException problem = claimFailure;
        claimFailure = null;
        return problem;
    }

    /**
     * Whether some live process still has appends in flight for a file the path no longer holds (see
     * {@link WriterSlots#stragglers}): until they land, no backup is deleted or compressed. The in-JVM lock is held.
     */
    boolean appendsInFlightToBackups() throws IOException {
        if (!jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("In-JVM lock on " + path + " is not held");
        }
        return state != null && slots.stragglers(openChannel(), state, state.generation());
    }

    /**
     * Releases the lock on the backups, from any thread; a hold already released is left alone, so a caller may
     * release in a {@code finally} what a callee may have released already. If the channel was closed meanwhile (an
     * interrupt while the state was first mapped), the lock went with it. The last hold lets a deferred close of the
     * channel go ahead (see {@link #dropChannel}).
     */
    void releaseBackups(BackupsLock hold) {
        synchronized (backupHolds) {
            if (hold.released) {
                return;
            }
            hold.released = true;
        }
        try {
            hold.lock.release();
        } catch (IOException e) {
            // closed with its channel
        } finally {
            boolean last;
            synchronized (backupHolds) {
                last = --backupHolds[0] == 0;
                backupHolds.notifyAll();
            }
            // else whoever holds the in-JVM lock closes it before it lets go
            if (last && closeDeferred && jvmLock.tryLock()) {
                try {
                    dropChannel();
                } finally {
                    jvmLock.unlock();
                }
            }
        }
    }

    /** Releases the OS lock; on failure the channel is closed, which releases it too (see {@link #dropChannel}). */
    IOException unlockFile() {
        FileLock held = mutex;
        mutex = null;
        if (held == null) {
            return null;
        }
        try {
            held.release();
            return null;
        } catch (IOException e) {
            dropChannel();
            return e;
        }
    }

    /**
     * Closes the channel to let go of a mutex whose release failed, unless a shift of this JVM holds the lock on the
     * backups on it: closing it would drop that lock, and another process could shift the same backups at the same
     * time. Then the close waits until the shift lets go ({@link #closeDeferred}), and the mutex, maybe still held, with
     * it: a shift takes milliseconds. The in-JVM lock is held.
     */
    private void dropChannel() {
        synchronized (backupHolds) {
            closeDeferred = backupHolds[0] > 0;
        }
        if (!closeDeferred) {
            mutex = null;
            closeChannel();
        }
    }

    /**
     * This JVM's slot for appends without the OS lock (see {@link WriterSlots}), or -1 if it has none: then every
     * batch takes the OS lock. The in-JVM lock must be held.
     */
    int slot() {
        return state == null ? -1 : slots.slot();
    }

    /** This JVM's slot for appends that hold no lock, or -1; read without the in-JVM lock. */
    int appendSlot() {
        return state == null ? -1 : slots.appendSlot();
    }

    /**
     * Closes the ticket and waits until no live process has bytes in flight for the open file, at most
     * {@code timeoutNanos}; the OS lock must be held. Then the file changes only under the OS lock.
     *
     * @return how the wait ended; {@link WriterSlots.Drain#CLEAN} if there is no shared state
     */
    WriterSlots.Drain closeAppends(long timeoutNanos) {
        if (mutex == null) {
            throw new IllegalStateException("OS lock on " + path + " is not held");
        }
        if (state == null) {
            return WriterSlots.Drain.CLEAN;
        }
        state.close();
        return slots.drain(channel, state, state.generation(), timeoutNanos);
    }

    /** Whether no other process has the lock file open (see {@link GroupPresence}); the OS lock must be held. */
    boolean aloneInGroup() throws IOException {
        if (mutex == null) {
            throw new IllegalStateException("OS lock on " + path + " is not held");
        }
        return presence.alone(channel);
    }

    /**
     * Closes the channel, dropping this JVM's locks. Only the registry calls this, for the last reference. A shift of
     * the backups that a thread of this JVM runs holds byte 2 without the in-JVM lock: it is waited for, however long
     * it takes, since closing the channel would let another process shift the same backups at the same time.
     */
    void close() {
        boolean interrupted = false;
        synchronized (backupHolds) {
            while (backupHolds[0] > 0) {
                try {
                    backupHolds.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        jvmLock.lock();
        try {
            mutex = null;
            closedForGood = true;
            closeChannel();
        } finally {
            jvmLock.unlock();
        }
    }

    private FileChannel openChannel() throws IOException {
        if (closedForGood) {
            throw new ClosedChannelException(); // a late caller (a straggling task) must not open a channel no one closes
        }
        if (channel == null || !channel.isOpen()) {
            creator.createIfMissing(path);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            if (!stateMapped) {
                state = LockFileState.map(channel); // the mapping outlives the channel, so once is enough
                stateMapped = state != null || channel.isOpen(); // else closed by an interrupt: mapped on the reopen
            }
        }
        return channel;
    }

    private void closeChannel() {
        FileChannel open = channel;
        channel = null;
        presence.dropped();
        slots.dropped();
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing releases the locks whether or not it reports an error
            }
        }
    }
}

package dev.concurrentlog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends blocking waits for an OS lock at their deadline. A blocking lock call is the fastest way to get a lock that
 * another process lets go of (the kernel wakes the waiter at once), but it has no timeout; it ends when its thread is
 * interrupted, which also closes the channel. One daemon thread per JVM, started by the first wait, does that
 * interrupt. While waits keep beginning it sleeps until the earliest deadline, at most {@link #MAX_SLEEP_NANOS} at a
 * time, so a wait that ends in time never wakes it; once none began for that long, it sleeps until the next one.
 */
final class LockWaitWatchdog {

    /** A wait whose deadline is missed by the watchdog's current sleep ends at most this much late. */
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final Set<Wait> WAITS = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;
    /** Whether the watchdog sleeps until woken (nothing waited for a while). */
    private static volatile boolean idle;
    /** Whether a wait began since the watchdog last looked. */
    private static volatile boolean began;

    private LockWaitWatchdog() {
    }

    /**
     * The blocking waits of one lock file, one at a time (its guard's in-JVM lock holder is the only waiter), reused
     * from wait to wait. Call {@link #begin} right before the blocking call and {@link #end} right after it, in
     * {@code finally}.
     */
    static final class Wait {
        // The state is a generation (one per wait, in the high bits) and a phase: the watchdog fires only the
        // generation whose deadline it read, never a later wait of the same guard that began meanwhile.
        private static final long IDLE = 0;
        private static final long WAITING = 1;
        private static final long FIRING = 2;
        private static final long FIRED = 3;
        private static final long PHASE = 3;
        private static final long NEXT_GENERATION = PHASE + 1;

        private final AtomicLong state = new AtomicLong(IDLE);
        private volatile Thread waiter;
        private volatile long deadline;
        /** Whether this wait is in the watched set; used only by the guard's in-JVM lock holder. */
        private boolean watched;

        /** The current thread is about to block; interrupt it at {@code deadline} (a {@link System#nanoTime} value). */
        void begin(long deadline) {
            this.waiter = Thread.currentThread();
            this.deadline = deadline;
            state.set(((state.get() & ~PHASE) + NEXT_GENERATION) | WAITING);
            if (!watched) {
                WAITS.add(this);
                watched = true;
            }
            if (!began) {
                began = true;
            }
            if (thread == null) {
                start();
            } else if (idle) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * The blocking call has returned or thrown; calling this again is harmless.
         *
         * @return true, on the first call only, if the watchdog interrupted it at the deadline; the interrupt status
         *         it set is cleared (an interrupt from elsewhere in the same instant is lost with it)
         */
        boolean end() {
            long current = state.get();
            if ((current & PHASE) == IDLE) {
                return false;
            }
            if ((current & PHASE) == WAITING && state.compareAndSet(current, current & ~PHASE)) {
                waiter = null;
                return false;
            }
            while ((state.get() & PHASE) != FIRED) {
                Thread.onSpinWait(); // the watchdog is inside Thread.interrupt(): a matter of microseconds
            }
            Thread.interrupted();
            waiter = null;
            state.set(current & ~PHASE);
            return true;
        }

        private boolean isWaiting() {
            return (state.get() & PHASE) == WAITING;
        }

        /** The guard is closed: stop watching it. */
        void forget() {
            WAITS.remove(this);
            watched = false;
        }

        /** Interrupts the waiter if the wait is due and still the one whose deadline was read. */
        private void fireIfDue(long now) {
            long current = state.get();
            if ((current & PHASE) != WAITING || now - deadline < 0) {
                return;
            }
            long generation = current & ~PHASE;
            if (state.compareAndSet(current, generation | FIRING)) {
                try {
                    waiter.interrupt();
                } finally {
                    state.set(generation | FIRED);
                }
            }
        }
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = DaemonThreads.start("concurrent-log-handler lock watchdog", LockWaitWatchdog::run);
    }

    private static void run() {
        while (true) {
            long now = System.nanoTime();
            long next = 0;
            boolean waiting = false;
            for (Wait wait : WAITS) {
                try {
                    wait.fireIfDue(now);
                } catch (RuntimeException | Error e) {
                    // interrupting one waiter failed (its state says FIRED all the same): go on watching the others
                }
                if (wait.isWaiting()) {
                    long deadline = wait.deadline;
                    if (!waiting || deadline - next < 0) {
                        next = deadline;
                        waiting = true;
                    }
                }
            }
            if (waiting) {
                LockSupport.parkNanos(Math.min(next - now, MAX_SLEEP_NANOS));
            } else if (began) {
                // waits come and go (most end within microseconds): keep a timed sleep, so that they need not wake
                // this thread, as long as some began since the last look
                began = false;
                LockSupport.parkNanos(MAX_SLEEP_NANOS);
            } else {
                idle = true; // before the last look: a wait that begins after it sees idle and wakes this thread
                if (!anyWaiting()) {
                    LockSupport.park();
                }
                idle = false;
            }
            Thread.interrupted(); // nobody should interrupt this thread; if someone does, keep watching
        }
    }

    private static boolean anyWaiting() {
        for (Wait wait : WAITS) {
            if (wait.isWaiting()) {
                return true;
            }
        }
        return false;
    }
}

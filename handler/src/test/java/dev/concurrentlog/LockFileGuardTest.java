package dev.concurrentlog;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a wait for the OS lock ends. Two guards on one lock file stand for two processes: the JDK refuses a second lock
 * on the same file within one JVM, which the guard treats as held by another process.
 */
@Timeout(60) // a waiter that never parks, or never returns, fails the test rather than hanging the build
class LockFileGuardTest {

    private static final long LONG_WAIT = TimeUnit.MINUTES.toNanos(1);
    private static final long LOG_KEY = LockFileState.logKey("/logs/app.log");

    @TempDir
    Path dir;

    private LockFileGuard holder;
    private LockFileGuard waiter;
    private Thread waiterThread;
    private final ExecutorService waiting = Executors.newSingleThreadExecutor(task -> {
        waiterThread = new Thread(task, "waiter");
        return waiterThread;
    });

    @BeforeEach
    void twoProcesses() throws Exception {
        Path lock = dir.resolve(".app.log.lock");
        holder = new LockFileGuard(lock, FileCreator.DEFAULT);
        waiter = new LockFileGuard(lock, FileCreator.DEFAULT);
        // as a handler starts: once under both locks, which maps the shared state
        waiting.submit(() -> {
            waiter.lockInJvm();
            try {
                return waiter.lockFile(LONG_WAIT);
            } finally {
                waiter.unlockAll();
            }
        }).get();
        holder.lockInJvm();
        assertEquals(true, holder.lockFile(LONG_WAIT));
    }

    @AfterEach
    void letGo() {
        holder.unlockAll();
        waiting.shutdownNow();
        holder.close();
        waiter.close();
    }

    // a process that only waited for another's rotation appends as soon as the new file is open, not after the shift
    @Test
    void aWaitThatBeganWhileAppendsWereClosedEndsWhenTheyOpen() throws Exception {
        long generation = holder.state().replaced(LOG_KEY); // closed: the holder rotates
        Future<LockFileGuard.Wait> wait = waitForLock(LONG_WAIT);
        awaitParked(wait);
        holder.state().open(generation, 0); // the new file is open; the holder keeps the OS lock to shift backups
        assertEquals(LockFileGuard.Wait.APPENDS_OPEN, wait.get(30, TimeUnit.SECONDS));
    }

    // a batch that must rotate itself waits for the OS lock even while appends are open
    @Test
    void aWaitThatBeganWhileAppendsWereOpenEndsOnlyWithTheLockOrTheTimeout() throws Exception {
        long generation = holder.state().replaced(LOG_KEY);
        holder.state().open(generation, 0);
        Future<LockFileGuard.Wait> wait = waitForLock(TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(LockFileGuard.Wait.TIMED_OUT, wait.get(30, TimeUnit.SECONDS));
    }

    // appends left closed by a process that let go (or died): the waiter takes the lock and repairs
    @Test
    void aWaitForAppendsThatStayClosedEndsWithTheLock() throws Exception {
        holder.state().replaced(LOG_KEY);
        Future<LockFileGuard.Wait> wait = waitForLock(LONG_WAIT);
        awaitParked(wait);
        holder.unlockAll();
        holder.lockInJvm(); // as the tear-down expects it
        assertEquals(LockFileGuard.Wait.LOCKED, wait.get(30, TimeUnit.SECONDS));
    }

    private Future<LockFileGuard.Wait> waitForLock(long timeoutNanos) {
        return waiting.submit(() -> {
            waiter.lockInJvm();
            try {
                return waiter.lockFile(timeoutNanos, true);
            } finally {
                waiter.unlockAll();
            }
        });
    }

    /** Waits until the waiter polls for the lock (parked between tries), or its wait has already ended. */
    private void awaitParked(Future<LockFileGuard.Wait> wait) {
        while (!wait.isDone() && waiterThread.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }
}

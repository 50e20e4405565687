package dev.concurrentlog;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog ends a blocking wait at its deadline, and leaves alone a wait that ended in time; the handler's
 * background threads keep no application's class loader alive.
 */
class LockWaitWatchdogTest {

    private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Test
    void waitPastItsDeadlineIsInterruptedAndTheInterruptIsTakenBackAtTheEnd() {
        LockWaitWatchdog.Wait wait = new LockWaitWatchdog.Wait();
        for (int round = 0; round < 3; round++) { // also after the watchdog has gone to sleep between waits
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(100);
            wait.begin(deadline);
            assertThrows(InterruptedException.class, () -> Thread.sleep(TimeUnit.MINUTES.toMillis(1)));
            long ended = System.nanoTime();
            assertTrue(wait.end(), "the watchdog ended the wait");
            assertFalse(Thread.currentThread().isInterrupted(), "its interrupt is not left to the caller");
            assertFalse(wait.end(), "a second end reports nothing");
            assertTrue(ended - deadline >= 0, "not before the deadline: " + (ended - start) + " ns");
            assertTrue(ended - deadline < LockWaitWatchdog.MAX_SLEEP_NANOS + SLACK_NANOS,
                    "soon after the deadline: " + (ended - start) + " ns");
        }
        wait.forget();
    }

    @Test
    void backgroundThreadsHoldNoApplicationClassLoader(@TempDir Path dir) {
        LockWaitWatchdog.Wait wait = new LockWaitWatchdog.Wait();
        wait.begin(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        wait.end();
        wait.forget();
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = TestHandlers.create(dir.resolve("app.log"), errors);
        handler.setAutoFlush(false);
        handler.publish(new LogRecord(Level.INFO, "buffered"));
        handler.close();
        errors.assertNoUnexpected();
        for (String name : new String[] {"concurrent-log-handler lock watchdog", "concurrent-log-handler flusher"}) {
            Thread thread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no thread " + name));
            assertTrue(thread.isDaemon(), name);
            assertNull(thread.getContextClassLoader(), name + " keeps a context class loader");
        }
    }

    @Test
    void waitThatEndsInTimeIsNeverInterrupted() throws InterruptedException {
        LockWaitWatchdog.Wait wait = new LockWaitWatchdog.Wait();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        wait.begin(deadline);
        Thread.sleep(10);
        assertFalse(wait.end());
        // past the deadline and the watchdog's longest sleep, nothing arrives
        long quiet = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200) + 2 * LockWaitWatchdog.MAX_SLEEP_NANOS;
        while (System.nanoTime() - quiet < 0) {
            assertFalse(Thread.currentThread().isInterrupted(), "interrupted after the wait ended");
            Thread.onSpinWait();
        }
        wait.forget();
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Another process that holds the lock file and does not let go: it hangs, or it dies holding it. */
class LockTimeoutIT {

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private ConcurrentRotatingFileHandler handler;
    private final Timings timings = new Timings();
    private ChildJvm.Running holder;

    @AfterEach
    void cleanUp() {
        if (holder != null) {
            holder.kill();
        }
        if (handler != null) {
            handler.close();
        }
        errors.assertNoUnexpected();
    }

    @Test
    void stuckHolderDelaysOneRecordByLockTimeoutThenRecordsAreAppendedWithoutLockUntilItLetsGo() throws Exception {
        Path log = dir.resolve("stuck.log");
        handler = handler(log, "1s");
        TestHandlers.rotateAt(handler, "1k", 5);
        publish(0);
        holder = lockHolder(log);

        long start = System.nanoTime();
        publish(1);
        long firstWait = System.nanoTime() - start;
        assertTrue(firstWait >= TimeUnit.MILLISECONDS.toNanos(900), "waited lockTimeout first: " + firstWait + " ns");
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).message().contains("lockTimeout") && reports.get(0).message().contains(".stuck.log.lock"),
                reports.get(0).message());

        start = System.nanoTime();
        for (int sequence = 2; sequence < 60; sequence++) {
            publish(sequence);
        }
        long rest = System.nanoTime() - start;
        // waiting lockTimeout for each would take 58 s
        assertTrue(rest < TimeUnit.SECONDS.toNanos(10), "later records did not each wait: " + rest + " ns");
        assertTrue(Files.size(log) > 1024 && !Files.exists(BackupRotator.backup(log, 1)),
                "no rotation without the lock");

        holder.stop();
        assertTrue(holder.process().waitFor(30, TimeUnit.SECONDS));
        publish(60);
        assertTrue(Files.exists(BackupRotator.backup(log, 1)), "rotation resumed with the lock");
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("t T0", 61L));
    }

    @Test
    void holderKilledWhileHoldingTheLockReleasesItAtOnce() throws Exception {
        Path log = dir.resolve("killed.log");
        handler = handler(log, "1h");
        publish(0);
        holder = lockHolder(log);
        Thread waiter = new Thread(() -> publish(1));
        waiter.start();
        awaitState(waiter, Thread.State.TIMED_WAITING); // polling for the lock
        holder.kill();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive(), "publish went on once the holder died (lockTimeout is 1 h)");
        LogCheck.verify(List.of(log), Map.of("t T0", 2L));
    }

    // interrupted while it waits for the OS lock; ConcurrentRotatingFileHandlerTest.interruptedThread...: before publish
    @Test
    void interruptWhileBlockedOnAnotherProcessesLockNeitherEndsTheWaitNorLosesTheRecordOrTheInterrupt()
            throws Exception {
        Path log = dir.resolve("interrupted.log");
        handler = handler(log, "1h");
        publish(0);
        holder = lockHolder(log);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            publish(1);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        // each interrupt wakes the waiter from its pause between two tries for the lock; it keeps trying, twice
        for (int i = 0; i < 2; i++) {
            awaitState(waiter, Thread.State.TIMED_WAITING);
            waiter.interrupt();
        }
        awaitState(waiter, Thread.State.TIMED_WAITING);
        assertTrue(waiter.isAlive(), "still waiting for the holder");
        Thread other = new Thread(() -> handler.publish(new LogRecord(Level.INFO, RecordFormat.record("o", 0, 0, 40))));
        other.start(); // publishes while the interrupted thread waits, and goes on with it
        holder.stop();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        other.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive() || other.isAlive(), "publish went on once the holder let go");
        assertTrue(interruptedAfter.get(), "the interrupt status is kept");
        publish(2);
        LogCheck.verify(List.of(log), Map.of("t T0", 3L, "o T0", 1L));
    }

    @Test
    void publisherOfAnotherLogOnTheSameLockFileIsWokenWhenTheHolderLetsGo() throws Exception {
        Path lockFile = dir.resolve("shared.lock");
        handler = handler(dir.resolve("a.log"), "1h");
        handler.setLockFile(lockFile.toString());
        ConcurrentRotatingFileHandler other = handler(dir.resolve("b.log"), "1h");
        other.setLockFile(lockFile.toString());
        Thread onB = new Thread(() -> other.publish(new LogRecord(Level.INFO, RecordFormat.record("u", 0, 1, 40))));
        try {
            publish(0);
            other.publish(new LogRecord(Level.INFO, RecordFormat.record("u", 0, 0, 40)));
            holder = LockHolder.start(lockFile);
            Thread onA = new Thread(() -> publish(1));
            onA.start();
            awaitState(onA, Thread.State.TIMED_WAITING); // holds the in-JVM lock while it polls for the holder's
            onB.start();
            awaitState(onB, Thread.State.WAITING); // in line for the in-JVM lock
            holder.stop();
            onA.join(TimeUnit.SECONDS.toMillis(30));
            onB.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(onA.isAlive(), "the publisher that waited for the holder went on");
            assertFalse(onB.isAlive(), "the publisher parked behind it, on another log, was woken");
            LogCheck.verify(List.of(dir.resolve("a.log")), Map.of("t T0", 2L));
            LogCheck.verify(List.of(dir.resolve("b.log")), Map.of("u T0", 2L));
        } finally {
            if (holder != null) {
                holder.kill(); // a failure before the release must not leave the publishers waiting an hour
            }
            onB.interrupt();
            onB.join(TimeUnit.SECONDS.toMillis(30));
            other.close();
        }
    }

    // Another process holds the lock on the backups for ever (stopped while it shifts or compresses). A time rotation
    // whose backup name is free renames without it, and compression waits for it without the in-JVM lock: no record
    // waits for it. With lockTimeout at 10 minutes, a wait for it would outlast the test's timeout.
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void holderOfTheBackupsLockHoldsUpNoRecordAndNoTimeRotation() throws Exception {
        Path log = dir.resolve("backups.log");
        handler = handler(log, "10m");
        handler.setTimeZone("UTC");
        handler.setSuffix(".yyyy-MM-dd.gz");
        TestHandlers.rotateAt(handler, "1k", 100);
        publishOn(0, "2026-11-25T12:00:00Z");
        holder = LockHolder.startOnBackups(lockFileOf(log));
        timings.identityCheckNanos = 0; // every record takes the in-JVM lock, as a compression holding it would

        for (int sequence = 1; sequence < 80; sequence++) {
            publishOn(sequence, sequence < 40 ? "2026-11-25T12:00:00Z" : "2026-11-26T12:00:00Z");
        }
        assertTrue(Files.isRegularFile(log.resolveSibling("backups.log.2026-11-25")), "not rotated by time");
        LogCheck.verify(LogFiles.oldestFirst(log, "2026-11-25".length()), Map.of("t T0", 80L));

        holder.send("stop");
        holder.awaitSuccess(java.time.Duration.ofMinutes(1));
        holder = null;
        handler.close(); // shifts what was parked, and compresses every backup
        handler = null;
        List<Path> files = LogFiles.oldestFirst(log, "2026-11-25".length());
        LogCheck.verify(files, Map.of("t T0", 80L));
        for (Path file : files.subList(0, files.size() - 1)) {
            assertTrue(file.toString().endsWith(".gz"), "not shifted and compressed: " + file);
        }
    }

    private void publishOn(int sequence, String instant) {
        LogRecord record = new LogRecord(Level.INFO, RecordFormat.record("t", 0, sequence, 40));
        record.setInstant(java.time.Instant.parse(instant));
        handler.publish(record);
    }

    /** Waits until {@code thread} is in {@code state}: parked between two tries for the OS lock, or in line. */
    private static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != state) {
            assertTrue(System.nanoTime() - deadline < 0, "never " + state + ": " + thread.getState());
            Thread.onSpinWait();
        }
    }

    private ConcurrentRotatingFileHandler handler(Path log, String lockTimeout) {
        ConcurrentRotatingFileHandler created = TestHandlers.create(log, errors, timings);
        created.setLockTimeout(lockTimeout);
        return created;
    }

    private void publish(int sequence) {
        handler.publish(new LogRecord(Level.INFO, RecordFormat.record("t", 0, sequence, 40)));
    }

    private static ChildJvm.Running lockHolder(Path log) throws IOException {
        return LockHolder.start(lockFileOf(log));
    }

    private static Path lockFileOf(Path log) {
        return log.resolveSibling("." + log.getFileName() + ".lock");
    }
}

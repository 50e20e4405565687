package dev.concurrentlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handlers closed, and re-created, while other threads and handler instances write the same file. */
class LifecycleTest {

    private static final int THREADS = 4;

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();

    @AfterEach
    void checkReports() {
        errors.assertNoUnexpected();
    }

    private ConcurrentRotatingFileHandler handler(Path log) {
        ConcurrentRotatingFileHandler handler = TestHandlers.create(log, errors);
        TestHandlers.rotateAt(handler, "8k", 1000);
        return handler;
    }

    @Test
    void closeRacingPublishEitherWritesARecordOrReportsItAndNeverThrows() throws Exception {
        Path log = dir.resolve("close.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger published = new AtomicInteger();
        CountDownLatch writing = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int sequence = 0; sequence < 3000; sequence++) {
                    try {
                        handler.publish(new LogRecord(Level.INFO, RecordFormat.record("c", thread, sequence, 40)));
                    } catch (Throwable e) {
                        thrown.compareAndSet(null, e);
                    }
                    published.incrementAndGet();
                    if (sequence == 100) {
                        writing.countDown();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        writing.await();
        handler.close();
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(thrown.get(), "publish threw");
        int refused = errors.takeAll(ErrorManager.WRITE_FAILURE).size();
        assertTrue(refused > 0, "records published after close are reported");
        // what was written is every thread's records up to the close, whole and in order; the rest was reported
        Map<String, Long> written = LogCheck.countRecords(LogFiles.oldestFirst(log));
        long writtenTotal = written.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(published.get(), writtenTotal + refused, "each record written or reported, once");
        LogCheck.verify(LogFiles.oldestFirst(log), written);
        assertEquals(0, SharedLogFile.openFileCount(), "the closed handler let go of the file");
    }

    @Test
    void handlerReCreatedWhileAnotherInstanceWritesLosesNothing() throws Exception {
        Path log = dir.resolve("recreate.log");
        ConcurrentRotatingFileHandler steady = handler(log);
        ConcurrentRotatingFileHandler first = handler(log);
        TestHandlers.writeRecords(steady, "s", 0, 0, 1); // attached, and so writing the file, before the others come
        Thread steadyWriter = new Thread(() -> TestHandlers.writeRecords(steady, "s", 0, 1, 4000));
        steadyWriter.start();
        writeRecords(first, "a", 0, 500);
        first.close();
        // re-created as WildFly does on a configuration change, with append=false and rotateOnBoot: the file is in
        // use, so neither empties nor rotates it
        ConcurrentRotatingFileHandler second = handler(log);
        second.setAppend(false);
        second.setRotateOnBoot(true);
        writeRecords(second, "b", 0, 500);
        steadyWriter.join();
        second.close();
        steady.close();
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("s T0", 4000L, "a T0", 500L, "b T0", 500L));
    }

    private static void writeRecords(ConcurrentRotatingFileHandler handler, String writer, int thread, int count) {
        TestHandlers.writeRecords(handler, writer, thread, 0, count);
    }
}

package dev.concurrentlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.RecordFormat;

/**
 * The last check of the {@link StorageCheck} in one process: the real handler, rotating by size, written by several
 * threads. Kept apart from {@link StorageCheckWorker} because it needs jboss-logmanager on the class path, which the
 * other checks do not.
 */
final class StorageCheckHandlerRun {

    /** Payload letters of each record. */
    static final int PAYLOAD = 100;

    private StorageCheckHandlerRun() {
    }

    /**
     * Writes {@code records} records from each of {@code threads} threads through one handler on {@code log}, rotating
     * at {@code rotateSize}, closes it, and tells {@code done RECORDS REPORTS FIRST_REPORT}; or {@code failed REASON}.
     */
    static String run(Path log, String writer, int threads, int records, String rotateSize) {
        ConcurrentRotatingFileHandler handler;
        try {
            handler = new ConcurrentRotatingFileHandler();
        } catch (LinkageError e) {
            return "failed jboss-logmanager is not on the class path (" + StorageCheckWorker.oneLine(e)
                    + "); give it with --logmanager";
        }
        AtomicLong reports = new AtomicLong();
        AtomicReference<String> firstReport = new AtomicReference<>("none");
        handler.setErrorManager(new ErrorManager() {
            @Override
            public void error(String message, Exception exception, int code) {
                reports.incrementAndGet();
                firstReport.compareAndSet("none", String.valueOf(message).replace('\n', ' '));
            }
        });
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + "\n";
            }
        });
        handler.setFileName(log.toString());
        handler.setRotateSize(rotateSize);
        handler.setMaxBackupIndex(100_000);
        List<Thread> started = new ArrayList<>();
        AtomicReference<String> broken = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                try {
                    for (int sequence = 0; sequence < records; sequence++) {
                        handler.publish(new LogRecord(Level.INFO,
                                RecordFormat.record(writer, thread, sequence, PAYLOAD)));
                    }
                } catch (LinkageError e) {
                    broken.compareAndSet(null, StorageCheckWorker.oneLine(e));
                }
            }, "publish-" + t);
            publisher.start();
            started.add(publisher);
        }
        for (Thread publisher : started) {
            try {
                publisher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "failed interrupted";
            }
        }
        handler.close();
        if (broken.get() != null) {
            return "failed a class jboss-logmanager needs is missing from the class path (" + broken.get()
                    + "); give it with --logmanager";
        }
        return "done " + (long) threads * records + " " + reports + " " + firstReport;
    }
}

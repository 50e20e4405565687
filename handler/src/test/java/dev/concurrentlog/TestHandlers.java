package dev.concurrentlog;

import java.nio.file.Path;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** Handlers as the tests make them, and the records they write through them. */
final class TestHandlers {

    private TestHandlers() {
    }

    /** A handler on {@code log} that writes each message and a newline, reporting to {@code errors}. */
    static ConcurrentRotatingFileHandler create(Path log, ErrorManager errors) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler(log.toString());
        handler.setErrorManager(errors);
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        return handler;
    }

    /** Makes every write compare the file at the path with the open one, as an outside tool's change is tested. */
    static void noticeOutsideChangesAtOnce() {
        LogFileOutput.identityCheckNanos = 0;
    }

    /**
     * Puts back what tests may change: the rotation retry delay, how often file identity is checked, and how long a
     * waiting publisher parks before it looks again by itself.
     */
    static void restoreTimings() {
        LogFileOutput.rotationRetryNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        LogFileOutput.identityCheckNanos = LogFileOutput.IDENTITY_CHECK_NANOS;
        SharedLogFile.parkLimitNanos = SharedLogFile.PARK_LIMIT_NANOS;
    }

    /** Publishes the checksummed records {@code from} (inclusive) to {@code to} of one writer thread. */
    static void writeRecords(ConcurrentRotatingFileHandler handler, String writer, int thread, int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            handler.publish(new LogRecord(Level.INFO, LogVerifier.record(writer, thread, sequence, 40)));
        }
    }
}

package dev.concurrentlog;

import java.nio.file.Path;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.RecordFormat;

/** Handlers as the tests make them, and the records they write through them. */
final class TestHandlers {

    private TestHandlers() {
    }

    /** A handler on {@code log} that writes each message and a newline, reporting to {@code errors}. */
    static ConcurrentRotatingFileHandler create(Path log, ErrorManager errors) {
        return create(log, errors, new Timings());
    }

    /** As {@link #create(Path, ErrorManager)}, waiting as {@code timings} say. */
    static ConcurrentRotatingFileHandler create(Path log, ErrorManager errors, Timings timings) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler(timings);
        handler.setFileName(log.toString());
        handler.setErrorManager(errors);
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        return handler;
    }

    /** Makes {@code handler} rotate at {@code rotateSize}, keeping {@code maxBackupIndex} backups. */
    static void rotateAt(ConcurrentRotatingFileHandler handler, String rotateSize, int maxBackupIndex) {
        handler.setRotateSize(rotateSize);
        handler.setMaxBackupIndex(maxBackupIndex);
    }

    /** Publishes the checksummed records {@code from} (inclusive) to {@code to} of one writer thread. */
    static void writeRecords(ConcurrentRotatingFileHandler handler, String writer, int thread, int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            handler.publish(new LogRecord(Level.INFO, RecordFormat.record(writer, thread, sequence, 40)));
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * One formatted record on its way into the file, as text: the thread that writes it encodes it (see
 * {@link RecordEncoder}). The thread that publishes it, or any other thread of the same JVM that holds the lock first
 * (group commit), writes it. A waiting record's publisher waits until it is {@link #isDone() done}; a buffered record's
 * publisher (autoFlush=false) has gone on, so a failure is reported to its handler's {@link #errors} by whichever
 * thread wrote it.
 */
final class PendingRecord {

    final String text;
    final Charset charset;
    final WritePolicy policy;
    /** The record's time, epoch milliseconds: it decides the record's period. */
    final long time;
    /** Where a buffered record's failure goes; null for a record whose publisher waits for it (autoFlush=true). */
    final SharedLogFile.ErrorSink errors;
    private volatile boolean done;
    private IOException failure;
    /** Where the writing thread's {@link RecordEncoder} put this record's bytes; set and read under the lock. */
    int encodedStart;
    int encodedLength;

    private PendingRecord(String text, Charset charset, WritePolicy policy, long time,
            SharedLogFile.ErrorSink errors) {
        this.text = text;
        this.charset = charset;
        this.policy = policy;
        this.time = time;
        this.errors = errors;
    }

    /** A record whose publisher waits until it is in the file (autoFlush=true). */
    static PendingRecord waiting(String text, Charset charset, WritePolicy policy, long time) {
        return new PendingRecord(text, charset, policy, time, null);
    }

    /** A record whose publisher does not wait (autoFlush=false); failures go to {@code errors}. */
    static PendingRecord buffered(String text, Charset charset, WritePolicy policy, long time,
            SharedLogFile.ErrorSink errors) {
        return new PendingRecord(text, charset, policy, time, Objects.requireNonNull(errors, "errors"));
    }

    boolean isWaited() {
        return errors == null;
    }

    boolean isDone() {
        return done;
    }

    /** The write failure, or null if the record is in the file. Valid once {@link #isDone()}. */
    IOException failure() {
        return failure;
    }

    void complete(IOException writeFailure) {
        failure = writeFailure;
        done = true;
    }
}

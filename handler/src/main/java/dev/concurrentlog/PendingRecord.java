package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.Charset;

/**
 * One formatted record on its way into the file, as text: the thread that writes it encodes it (see
 * {@link RecordEncoder}). The thread that publishes it, or
 * any other thread of the same JVM that holds the lock first (group commit), writes it. A waiting record's publisher
 * waits until it is {@link #isDone() done}; a buffered record's publisher (autoFlush=false) has gone on, so a failure
 * is reported to its handler by whichever thread wrote it.
 */
final class PendingRecord {

    // Changed only by the lock holder that reuses a buffered record, while no other thread can see it (see refill).
    String text;
    Charset charset;
    WritePolicy policy;
    /** The record's time, epoch milliseconds: it decides the record's period. */
    long time;
    /** Whether its publisher waits for it (autoFlush=true), rather than a buffered record. */
    private final boolean waited;
    /** Where a buffered record's failure goes. */
    SharedLogFile.ErrorSink errors;
    private volatile boolean done;
    private IOException failure;
    /** The record queued after this one (see {@link WaitingQueue}). */
    volatile PendingRecord next;
    /** Where the writing thread's {@link RecordEncoder} put this record's bytes; set and read under the lock. */
    int encodedStart;
    int encodedLength;

    private PendingRecord(String text, Charset charset, WritePolicy policy, boolean waited,
            SharedLogFile.ErrorSink errors) {
        this.text = text;
        this.charset = charset;
        this.policy = policy;
        this.waited = waited;
        this.errors = errors;
    }

    /** A record whose publisher waits until it is in the file (autoFlush=true). */
    static PendingRecord waiting(String text, Charset charset, WritePolicy policy, long time) {
        PendingRecord record = new PendingRecord(text, charset, policy, true, null);
        record.time = time;
        return record;
    }

    /** A record whose publisher does not wait (autoFlush=false); failures go to {@code errors}. */
    static PendingRecord buffered(String text, Charset charset, WritePolicy policy,
            SharedLogFile.ErrorSink errors) {
        return new PendingRecord(text, charset, policy, false, errors);
    }

    /** An empty buffered record for the writing thread to {@link #refill} with records it takes from the ring. */
    static PendingRecord reusable() {
        return new PendingRecord(null, null, null, false, null);
    }

    /** Makes this reused buffered record another; by the lock holder. */
    void refill(String newText, Charset newCharset, WritePolicy newPolicy, SharedLogFile.ErrorSink newErrors,
            long newTime) {
        text = newText;
        time = newTime;
        charset = newCharset;
        policy = newPolicy;
        errors = newErrors;
        failure = null;
        done = false;
    }

    /** A failed buffered record that outlives the reuse of this one, to be reported once no lock is held. */
    PendingRecord failedCopy() {
        PendingRecord copy = buffered(text, charset, policy, errors);
        copy.complete(failure);
        return copy;
    }

    boolean isWaited() {
        return waited;
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

package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.Charset;

/**
 * One formatted record on its way into the file, as text: the thread that writes it encodes it (see
 * {@link RecordEncoder}), so the publisher allocates nothing beyond its formatting. The thread that publishes it, or
 * any other thread of the same JVM that holds the lock first (group commit), writes it. A waiting record's publisher
 * waits until it is {@link #isDone() done}; a buffered record's publisher (autoFlush=false) has gone on, so a failure
 * is reported to its handler by whichever thread wrote it.
 */
final class PendingRecord {

    // Changed only by the thread that owns a reused record, while no other thread can see it (see claim, refill).
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
    /** Whether the owner of a reused waiting record is using it (only the owner reads or sets these two). */
    private boolean claimed;
    /** Whether the owner left it queued (an Error): a leader still writes it, and it is free once done. */
    private boolean abandoned;
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

    /** An empty waiting record that the current thread {@link #claim claims} for each record it publishes. */
    static PendingRecord reusableForThisThread() {
        return new PendingRecord(null, null, null, true, null);
    }

    /**
     * Makes this reused waiting record the owner's next; it must then be queued. Called only by the owner.
     *
     * @return false if the owner is still writing this record (a publish re-entered from within one), or left it
     *         queued (an Error) and it is not written yet
     */
    boolean claim(String newText, Charset newCharset, WritePolicy newPolicy, long newTime) {
        if (claimed && !(abandoned && done)) {
            return false;
        }
        claimed = true;
        abandoned = false;
        refill(newText, newCharset, newPolicy, null, newTime);
        return true;
    }

    /** Ends the owner's use of a waiting record, once it has read the outcome; keeps no text alive. */
    void release() {
        if (done) {
            claimed = false;
            text = null;
        } else {
            abandoned = true;
        }
    }

    /** An empty buffered record for the writing thread to {@link #refill} with records it takes from the ring. */
    static PendingRecord reusable() {
        return new PendingRecord(null, null, null, false, null);
    }

    /** Makes this reused record another: by the lock holder for a buffered one, by the owner for a waiting one. */
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

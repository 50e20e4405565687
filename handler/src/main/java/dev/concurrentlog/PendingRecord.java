package dev.concurrentlog;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * One formatted record on its way into the file. The thread that publishes it, or any other thread of the same JVM
 * that holds the lock first (group commit), writes it; the publishing thread waits until it is {@link #isDone() done}.
 */
final class PendingRecord {

    final byte[] bytes;
    final RotationPolicy policy;
    private final Thread owner = Thread.currentThread();
    private volatile boolean done;
    private IOException failure;

    PendingRecord(byte[] bytes, RotationPolicy policy) {
        this.bytes = bytes;
        this.policy = policy;
    }

    /** Wakes the publishing thread, which waits for its record or for its turn to write. */
    void wakeOwner() {
        if (owner != Thread.currentThread()) {
            LockSupport.unpark(owner);
        }
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
        wakeOwner();
    }
}

package dev.concurrentlog;

import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffered (autoFlush=false) records of one log file, in the order they were published: a bounded ring of reused
 * slots, so that buffering a record allocates nothing. Any thread adds; only the thread that holds the in-JVM lock
 * takes. Each slot carries a sequence number that says whose turn it is: the publisher that may fill it for position
 * {@code p} finds {@code p}, the taker finds {@code p + 1} once it is filled (a bounded multi-producer queue after
 * Dmitry Vyukov's).
 */
final class BufferedRecords {

    static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private static final class Slot {
        volatile long sequence;
        String text;
        Charset charset;
        WritePolicy policy;
        SharedLogFile.ErrorSink errors;
        long time;
    }

    private final Slot[] slots = new Slot[CAPACITY];
    /** The next position a publisher claims. */
    private final AtomicLong claimed = new AtomicLong();
    /** The next position to take; only the lock holder reads or changes it. */
    private long taken;

    BufferedRecords() {
        for (int i = 0; i < CAPACITY; i++) {
            slots[i] = new Slot();
            slots[i].sequence = i;
        }
    }

    /**
     * Adds a record after every one added before it returns.
     *
     * @return false if the ring is full (write what is buffered, then add again)
     */
    boolean add(String text, Charset charset, WritePolicy policy, SharedLogFile.ErrorSink errors, long time) {
        long position = claimed.get();
        Slot slot;
        while (true) {
            slot = slots[(int) position & MASK];
            long turn = slot.sequence - position;
            if (turn == 0) {
                if (claimed.compareAndSet(position, position + 1)) {
                    break;
                }
                position = claimed.get();
            } else if (turn < 0) {
                return false; // the slot still holds the record CAPACITY positions back
            } else {
                position = claimed.get(); // another publisher took this position
            }
        }
        slot.text = text;
        slot.charset = charset;
        slot.policy = policy;
        slot.errors = errors;
        slot.time = time;
        slot.sequence = position + 1;
        return true;
    }

    /** The position after the last record claimed so far: {@link #takeBefore} it to take everything added until now. */
    long claimedEnd() {
        return claimed.get();
    }

    /**
     * Moves the oldest record before {@code end} into {@code into}. If its publisher is still filling its slot (a few
     * stores, unless the thread lost the processor between them), either waits for it, so that nothing added before
     * {@code end} is passed over, or stops there.
     *
     * @return false if every record before {@code end} has been taken, or the next is not filled and {@code wait} is
     *         false
     */
    boolean takeBefore(long end, boolean wait, PendingRecord into) {
        if (taken - end >= 0) {
            return false;
        }
        Slot slot = slots[(int) taken & MASK];
        while (slot.sequence != taken + 1) {
            if (!wait) {
                return false;
            }
            Thread.yield();
        }
        into.refill(slot.text, slot.charset, slot.policy, slot.errors, slot.time);
        slot.text = null;
        slot.charset = null;
        slot.policy = null;
        slot.errors = null;
        slot.sequence = taken + CAPACITY;
        taken++;
        return true;
    }
}

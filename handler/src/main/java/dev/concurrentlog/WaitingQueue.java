package dev.concurrentlog;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The records whose publishers wait for them (autoFlush=true), in the order they were added: a
 * linked queue threaded through the records themselves, so that queuing allocates nothing (after Dmitry Vyukov's
 * intrusive multi-producer queue). Any thread adds; only the holder of the in-JVM lock polls.
 * <p>
 * A record is added once (the stub again, only after it was polled), so no record is ever in the queue twice. While a
 * publisher is between its two steps of adding, the records behind its own are not reachable yet; it then tries the
 * lock itself, so they are not forgotten.
 */
final class WaitingQueue {

    /** Stands in when the queue would otherwise have no node; never handed out. */
    private final PendingRecord stub = PendingRecord.reusable();
    /** The next node to poll (or the stub before it); only the holder of the in-JVM lock reads or sets it. */
    private PendingRecord head = stub;
    private final AtomicReference<PendingRecord> tail = new AtomicReference<>(stub);

    void add(PendingRecord record) {
        record.next = null;
        PendingRecord previous = tail.getAndSet(record);
        previous.next = record;
    }

    /**
     * The oldest record, taken out; only the holder of the in-JVM lock calls this.
     *
     * @return null if there is none, or the oldest is not reachable yet (see the class comment)
     */
    PendingRecord poll() {
        PendingRecord first = head;
        PendingRecord next = first.next;
        if (first == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            first = next;
            next = next.next;
        }
        if (next != null) {
            head = next;
            return first;
        }
        if (first != tail.get()) {
            return null; // a publisher has swapped the tail but not linked its record yet
        }
        add(stub); // first is the last: put the stub behind it, so it can be taken out
        next = first.next;
        if (next != null) {
            head = next;
            return first;
        }
        return null;
    }

}

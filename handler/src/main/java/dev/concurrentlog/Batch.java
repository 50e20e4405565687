package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * The records that one holder of the lock writes in one go, encoded as they are taken from the queue, in the order
 * they were queued. Used only by the thread that holds the in-JVM lock.
 */
final class Batch {

    private final List<PendingRecord> records = new ArrayList<>();
    /** Buffered records that failed, to be reported to their handlers once no lock is held. */
    private final List<PendingRecord> failedBuffered = new ArrayList<>();
    private final RecordEncoder encoder = new RecordEncoder();
    /** The characters of the buffered records taken into this batch. */
    private long bufferedCharsTaken;

    /** Takes queued records until the queue is empty, records queued meanwhile (logged from within an encode) too. */
    void take(Queue<PendingRecord> queue) {
        for (PendingRecord next; (next = queue.poll()) != null; ) {
            if (!next.isWaited()) {
                bufferedCharsTaken += next.text.length();
            }
            add(next);
        }
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /** The policy of the first record; the batch must not be empty. */
    WritePolicy firstPolicy() {
        return records.get(0).policy;
    }

    List<PendingRecord> records() {
        return records;
    }

    byte[] encoded() {
        return encoder.bytes();
    }

    /**
     * Ends the batch: if it was not {@code written} (an Error before the write), its records fail; buffered records
     * that failed are kept for {@link #takeFailedBuffered}. Returns the characters of the buffered records it took.
     * Every record is completed first, allocating nothing, so that running out of memory here leaves no thread waiting.
     */
    long finish(boolean written) {
        // indexed loops: an iterator is an allocation
        try {
            if (!written) {
                for (int i = 0; i < records.size(); i++) {
                    records.get(i).complete(BatchWriter.NOT_WRITTEN);
                }
            }
            for (int i = 0; i < records.size(); i++) {
                PendingRecord record = records.get(i);
                if (!record.isWaited() && record.failure() != null) {
                    failedBuffered.add(record);
                }
            }
        } finally {
            records.clear();
            encoder.clear();
        }
        long chars = bufferedCharsTaken;
        bufferedCharsTaken = 0;
        return chars;
    }

    /** Moves the buffered records that failed out of the batch; null if there are none. */
    List<PendingRecord> takeFailedBuffered() {
        if (failedBuffered.isEmpty()) {
            return null;
        }
        List<PendingRecord> result = new ArrayList<>(failedBuffered);
        failedBuffered.clear();
        return result;
    }

    /** Encodes {@code record} into the batch; a record that cannot be encoded, or that an Error cuts off, fails. */
    private void add(PendingRecord record) {
        try {
            encoder.encode(record);
            records.add(record);
        } catch (CharacterCodingException | RuntimeException e) {
            fail(record, new IOException("Unable to encode the record in " + record.charset + ": " + e, e));
        } catch (Error e) {
            fail(record, BatchWriter.NOT_WRITTEN);
            throw e;
        }
    }

    private void fail(PendingRecord record, IOException failure) {
        record.complete(failure);
        if (!record.isWaited()) {
            failedBuffered.add(record);
        }
    }
}

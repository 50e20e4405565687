package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records that one holder of the lock writes in one go, encoded as they are taken. They come from the queue of
 * waiting records (autoFlush=true) and the ring of buffered ones (autoFlush=false), in an order
 * that keeps every thread's records in the order it published them. Buffered records are moved into reused
 * {@link PendingRecord}s, so buffering allocates nothing. Used only by the thread that holds the in-JVM lock.
 */
final class Batch {

    /** Reused records beyond this many are dropped once the batch is done. */
    private static final int KEPT_REUSABLE = 2 * BufferedRecords.CAPACITY;

    private final List<PendingRecord> records = new ArrayList<>();
    private final List<PendingRecord> polled = new ArrayList<>();
    private final List<PendingRecord> reusable = new ArrayList<>();
    private int reusableUsed;
    /** Buffered records that failed, to be reported to their handlers once no lock is held. */
    private final List<PendingRecord> failedBuffered = new ArrayList<>();
    private final RecordEncoder encoder = new RecordEncoder();
    /** The characters of the buffered records taken into this batch. */
    private long bufferedCharsTaken;

    /**
     * Takes everything queued and buffered so far. Buffered records come first: a thread's buffered record was added
     * before its next waiting record was queued, so it is in the ring by the time that one is taken. If that waiting
     * record is taken, every ring slot claimed before it is waited for.
     */
    void take(WaitingQueue queue, BufferedRecords ring) {
        long chars = 0;
        int handled = 0;
        try {
            for (PendingRecord next; (next = queue.poll()) != null; ) {
                try {
                    polled.add(next);
                } catch (Error e) {
                    failTaken(next);
                    throw e;
                }
            }
            long end = ring.claimedEnd();
            boolean wait = !polled.isEmpty();
            for (PendingRecord into = nextReusable(); ring.takeBefore(end, wait, into); into = nextReusable()) {
                chars += into.text.length();
                add(into);
            }
            reusableUsed--; // the last one was not filled
            for (; handled < polled.size(); handled++) {
                add(polled.get(handled));
            }
        } finally {
            bufferedCharsTaken += chars;
            // after an Error: what was taken out but not placed fails now (this allocates nothing)
            for (; handled < polled.size(); handled++) {
                failTaken(polled.get(handled));
            }
            polled.clear();
        }
    }

    /** A record taken out of the queue that an Error kept from the batch: it must not be waited for for ever. */
    private static void failTaken(PendingRecord record) {
        record.complete(BatchWriter.NOT_WRITTEN);
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
     * that failed are kept for {@link #takeFailedBuffered}. Returns the characters of the buffered records it took. A waiting record that was
     * written may already be reused by its thread, so only its (fixed) owner is looked at. What must happen happens
     * first and allocates nothing, so that running out of memory here leaves no thread waiting and no record behind.
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
                    failedBuffered.add(record.failedCopy());
                }
            }
        } finally {
            records.clear();
            for (int i = 0; i < reusableUsed; i++) {
                reusable.get(i).refill(null, null, null, null, 0); // keep no text alive
            }
            reusableUsed = 0;
            encoder.clear();
            if (reusable.size() > KEPT_REUSABLE) {
                reusable.subList(KEPT_REUSABLE, reusable.size()).clear();
            }
        }
        long chars = bufferedCharsTaken;
        bufferedCharsTaken = 0;
        return chars;
    }

    /** Moves the buffered records that failed out of the batch, into {@code list} (made if null). */
    List<PendingRecord> takeFailedBuffered(List<PendingRecord> list) {
        if (failedBuffered.isEmpty()) {
            return list;
        }
        List<PendingRecord> result = list == null ? new ArrayList<>() : list;
        result.addAll(failedBuffered);
        failedBuffered.clear();
        return result;
    }

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
            failedBuffered.add(record.failedCopy());
        }
    }

    private PendingRecord nextReusable() {
        if (reusableUsed == reusable.size()) {
            reusable.add(PendingRecord.reusable());
        }
        return reusable.get(reusableUsed++);
    }
}

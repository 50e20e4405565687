package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class WaitingQueueTest {

    private static final WritePolicy POLICY = new WritePolicy(1024, 1, FileCreator.DEFAULT, 0, RotationSuffix.NONE, 0);

    private final WaitingQueue queue = new WaitingQueue();

    @Test
    void pollsInOrder() {
        assertNull(queue.poll());
        List<PendingRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(PendingRecord.waiting("r" + i, StandardCharsets.UTF_8, POLICY, 0));
            queue.add(records.get(i));
        }
        for (PendingRecord expected : records) {
            assertSame(expected, queue.poll());
        }
        assertNull(queue.poll());
        queue.add(records.get(1)); // taken out, so it may come back
        assertSame(records.get(1), queue.poll());
        assertNull(queue.poll());
    }

    /** As publishers use it: each thread adds its next record as soon as the taker has completed the last. */
    @Test
    void recordsOfConcurrentPublishersAreEachTakenOnceInTheirOrder() throws InterruptedException {
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    PendingRecord own = PendingRecord.waiting(thread + ":" + i, StandardCharsets.UTF_8, POLICY, 0);
                    queue.add(own);
                    while (!own.isDone()) {
                        Thread.onSpinWait(); // the taker below completes it
                    }
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        start.countDown();
        int[] next = new int[threads];
        for (int taken = 0; taken < threads * perThread; ) {
            PendingRecord record = queue.poll();
            if (record == null) {
                continue;
            }
            String text = record.text;
            int colon = text.indexOf(':');
            int thread = Integer.parseInt(text.substring(0, colon));
            assertEquals(next[thread]++, Integer.parseInt(text.substring(colon + 1)), text);
            taken++;
            record.complete(null);
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        assertNull(queue.poll());
        for (int count : next) {
            assertEquals(perThread, count);
        }
    }
}

package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class BufferedRecordsTest {

    private static final WritePolicy POLICY = new WritePolicy(1024, 1, FileCreator.DEFAULT, 0, RotationSuffix.NONE, 0);
    private static final SharedLogFile.ErrorSink NO_ERRORS = (message, exception, code) -> {
        throw new AssertionError(message, exception);
    };

    private final BufferedRecords ring = new BufferedRecords();
    private final PendingRecord into = PendingRecord.reusable();

    @Test
    void takesInOrderOnlyWhatWasAddedBeforeTheEndAndRefusesWhenFull() {
        for (int i = 0; i < BufferedRecords.CAPACITY; i++) {
            assertTrue(ring.add("r" + i, StandardCharsets.UTF_8, POLICY, NO_ERRORS, 0));
        }
        assertFalse(ring.add("one too many", StandardCharsets.UTF_8, POLICY, NO_ERRORS, 0));
        long end = ring.claimedEnd();
        assertTrue(ring.takeBefore(end, false, into));
        assertEquals("r0", into.text);
        assertEquals(POLICY, into.policy);
        assertTrue(ring.add("after", StandardCharsets.UTF_8, POLICY, NO_ERRORS, 0), "a taken slot is free again");
        for (int i = 1; i < BufferedRecords.CAPACITY; i++) {
            assertTrue(ring.takeBefore(end, false, into));
            assertEquals("r" + i, into.text);
        }
        assertFalse(ring.takeBefore(end, false, into), "added after the end");
        assertTrue(ring.takeBefore(ring.claimedEnd(), false, into));
        assertEquals("after", into.text);
        assertFalse(ring.takeBefore(ring.claimedEnd(), true, into));
    }

    @Test
    void concurrentPublishersLoseNothingDuplicateNothingAndKeepTheirOrder() throws InterruptedException {
        int threads = 4;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            Thread publisher = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String text = prefix + i;
                        while (!ring.add(text, StandardCharsets.UTF_8, POLICY, NO_ERRORS, 0)) {
                            Thread.onSpinWait(); // full: the taker below frees slots
                        }
                    }
                } catch (InterruptedException e) {
                    failed.set(true);
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        int[] next = new int[threads];
        int taken = 0;
        start.countDown();
        boolean wait = false;
        while (taken < threads * perThread) {
            while (ring.takeBefore(ring.claimedEnd(), wait, into)) {
                int colon = into.text.indexOf(':');
                int thread = Integer.parseInt(into.text.substring(0, colon));
                assertEquals(next[thread]++, Integer.parseInt(into.text.substring(colon + 1)), into.text);
                taken++;
            }
            wait = !wait; // both ways of meeting a slot still being filled
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        assertFalse(failed.get());
        for (int count : next) {
            assertEquals(perThread, count);
        }
        assertFalse(ring.takeBefore(ring.claimedEnd(), true, into));
        into.refill(null, null, null, null, 0);
        assertNull(into.text);
    }
}

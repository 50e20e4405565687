package dev.concurrentlog;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this JVM did to one log file, counted for {@link LogFileMonitor}: records and bytes written, rotations, waits
 * for the OS lock, writes without it, failures, compressions, the last error. Counting takes no lock and costs an
 * uncontended add on a {@link LongAdder} cell; reading takes no lock either.
 */
final class LogFileStats {

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder lockedPathRecords = new LongAdder();
    private final LongAdder osLockRecords = new LongAdder();
    private final LongAdder rotationsBySize = new LongAdder();
    private final LongAdder rotationsByTime = new LongAdder();
    private final LongAdder osLockWaits = new LongAdder();
    private final LongAdder osLockWaitNanos = new LongAdder();
    private final AtomicLong longestOsLockWaitNanos = new AtomicLong();
    private final LongAdder lockTimeouts = new LongAdder();
    private final LongAdder recordsWithoutLock = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private final LongAdder recordsDropped = new LongAdder();
    private final LongAdder compressionsDone = new LongAdder();
    private final LongAdder compressionsFailed = new LongAdder();
    private final LongAdder compressionJobsQueued = new LongAdder();
    private final LongAdder compressionJobsEnded = new LongAdder();
    private volatile String lastError = "";
    private volatile long lastErrorMillis;

    /** {@code count} records of {@code length} bytes in all are in the file. */
    void written(int count, long length) {
        records.add(count);
        bytes.add(length);
    }

    /** {@code count} records went through the queue and the in-JVM lock, not appended on their own without a lock. */
    void lockedPath(int count) {
        lockedPathRecords.add(count);
    }

    /** {@code count} records were written holding the OS lock. */
    void underOsLock(int count) {
        osLockRecords.add(count);
    }

    /** {@code count} records were written without the OS lock, after another process held it past lockTimeout. */
    void withoutLock(int count) {
        recordsWithoutLock.add(count);
    }

    void rotatedBySize() {
        rotationsBySize.increment();
    }

    void rotatedByTime() {
        rotationsByTime.increment();
    }

    /** A wait for the OS lock (taken, timed out, or ended by appends opening again) took {@code nanos}. */
    void waitedForOsLock(long nanos) {
        osLockWaits.increment();
        osLockWaitNanos.add(nanos);
        if (nanos > longestOsLockWaitNanos.get()) {
            longestOsLockWaitNanos.accumulateAndGet(nanos, Math::max);
        }
    }

    /** Another process held the OS lock past lockTimeout: writing without it begins. */
    void lockTimedOut() {
        lockTimeouts.increment();
    }

    /** A write failed, and {@code count} records with it. */
    void writeFailed(int count) {
        writeFailures.increment();
        recordsDropped.add(count);
    }

    void compressionDone() {
        compressionsDone.increment();
    }

    void compressionFailed() {
        compressionsFailed.increment();
    }

    /** A compression job (a backup, or a sweep of the directory) was queued. */
    void compressionQueued() {
        compressionJobsQueued.increment();
    }

    /** A compression job ended, whatever came of it. */
    void compressionEnded() {
        compressionJobsEnded.increment();
    }

    /** A problem of the file was reported to a handler's error manager. */
    void error(String message, long millis) {
        lastErrorMillis = millis;
        lastError = message == null ? "" : message;
    }

    long records() {
        return records.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    long lockedPathRecords() {
        return lockedPathRecords.sum();
    }

    long osLockRecords() {
        return osLockRecords.sum();
    }

    long recordsWithoutLock() {
        return recordsWithoutLock.sum();
    }

    long rotationsBySize() {
        return rotationsBySize.sum();
    }

    long rotationsByTime() {
        return rotationsByTime.sum();
    }

    long osLockWaits() {
        return osLockWaits.sum();
    }

    long osLockWaitNanos() {
        return osLockWaitNanos.sum();
    }

    long longestOsLockWaitNanos() {
        return longestOsLockWaitNanos.get();
    }

    long lockTimeouts() {
        return lockTimeouts.sum();
    }

    long writeFailures() {
        return writeFailures.sum();
    }

    long recordsDropped() {
        return recordsDropped.sum();
    }

    long compressionsDone() {
        return compressionsDone.sum();
    }

    long compressionsFailed() {
        return compressionsFailed.sum();
    }

    /** Compression jobs queued or under way. */
    long compressionJobsWaiting() {
        return Math.max(0, compressionJobsQueued.sum() - compressionJobsEnded.sum());
    }

    String lastError() {
        return lastError;
    }

    long lastErrorMillis() {
        return lastErrorMillis;
    }
}

package dev.concurrentlog;

import java.util.function.LongSupplier;

/**
 * The write settings of one handler, immutable, so a setter swaps the whole policy while records are written.
 *
 * @param rotateSize       the size in bytes a file may reach before it is rotated; 0 never rotates by size
 * @param maxBackupIndex   the number of size backups kept (per period, with a timed suffix); 0 never rotates by size
 * @param creator          how new files are created (their permissions)
 * @param lockTimeoutNanos how long a write waits for another process to release the lock file
 * @param suffix           the backups' date suffix and compression, and the time rotation period
 * @param maxHistory       how many periods' backups are kept; 0 keeps all
 */
record WritePolicy(long rotateSize, int maxBackupIndex, FileCreator creator, long lockTimeoutNanos,
        RotationSuffix suffix, int maxHistory) {

    /**
     * A file of {@code currentSize} bytes is rotated before {@code recordLength} more are written if they would take it
     * past {@code rotateSize}. An empty file is never rotated, so a record larger than {@code rotateSize} gets a file of
     * its own and no file exceeds {@code rotateSize} by more than one record.
     */
    boolean rotationDue(long currentSize, long recordLength) {
        return rotatesBySize() && currentSize > 0 && currentSize + recordLength > rotateSize;
    }

    /**
     * Whether a record of {@code recordLength} bytes and time {@code recordTime} goes into a file of
     * {@code currentSize} bytes without a rotation, by size or by time; the file's period starts at
     * {@code periodStart}, read only for a time suffix ({@link LockFileState#UNKNOWN_PERIOD}: not known, so no).
     */
    boolean fitsWithoutRotation(long currentSize, long recordLength, long recordTime, LongSupplier periodStart) {
        if (rotationDue(currentSize, recordLength)) {
            return false;
        }
        if (!suffix.timed()) {
            return true;
        }
        long start = periodStart.getAsLong();
        return start != LockFileState.UNKNOWN_PERIOD && !periodOver(start, recordTime);
    }

    boolean rotatesBySize() {
        return maxBackupIndex > 0 && rotateSize > 0;
    }

    /**
     * A record of time {@code recordTime} starts a new file if the open file's period, which starts at
     * {@code periodStart}, is over.
     */
    boolean periodOver(long periodStart, long recordTime) {
        return suffix.timed() && recordTime >= suffix.nextPeriodStart(periodStart);
    }

    WritePolicy withRotateSize(long bytes) {
        return new WritePolicy(bytes, maxBackupIndex, creator, lockTimeoutNanos, suffix, maxHistory);
    }

    WritePolicy withMaxBackupIndex(int index) {
        return new WritePolicy(rotateSize, index, creator, lockTimeoutNanos, suffix, maxHistory);
    }

    WritePolicy withCreator(FileCreator fileCreator) {
        return new WritePolicy(rotateSize, maxBackupIndex, fileCreator, lockTimeoutNanos, suffix, maxHistory);
    }

    WritePolicy withLockTimeout(long nanos) {
        return new WritePolicy(rotateSize, maxBackupIndex, creator, nanos, suffix, maxHistory);
    }

    WritePolicy withSuffix(RotationSuffix newSuffix) {
        return new WritePolicy(rotateSize, maxBackupIndex, creator, lockTimeoutNanos, newSuffix, maxHistory);
    }

    WritePolicy withMaxHistory(int periods) {
        return new WritePolicy(rotateSize, maxBackupIndex, creator, lockTimeoutNanos, suffix, periods);
    }
}

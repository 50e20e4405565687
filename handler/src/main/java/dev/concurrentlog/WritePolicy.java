package dev.concurrentlog;

/**
 * The write settings of one handler, immutable, so a setter swaps the whole policy while records are written.
 *
 * @param rotateSize       the size in bytes a file may reach before it is rotated
 * @param maxBackupIndex   the number of backups kept; 0 never rotates
 * @param creator          how new files are created (their permissions)
 * @param lockTimeoutNanos how long a write waits for another process to release the lock file
 */
record WritePolicy(long rotateSize, int maxBackupIndex, FileCreator creator, long lockTimeoutNanos) {

    /**
     * A file of {@code currentSize} bytes is rotated before {@code recordLength} more are written if they would take it
     * past {@code rotateSize}. An empty file is never rotated, so a record larger than {@code rotateSize} gets a file of
     * its own and no file exceeds {@code rotateSize} by more than one record.
     */
    boolean rotationDue(long currentSize, long recordLength) {
        return maxBackupIndex > 0 && currentSize > 0 && currentSize + recordLength > rotateSize;
    }

    WritePolicy withRotateSize(long bytes) {
        return new WritePolicy(bytes, maxBackupIndex, creator, lockTimeoutNanos);
    }

    WritePolicy withMaxBackupIndex(int index) {
        return new WritePolicy(rotateSize, index, creator, lockTimeoutNanos);
    }

    WritePolicy withCreator(FileCreator fileCreator) {
        return new WritePolicy(rotateSize, maxBackupIndex, fileCreator, lockTimeoutNanos);
    }

    WritePolicy withLockTimeout(long nanos) {
        return new WritePolicy(rotateSize, maxBackupIndex, creator, nanos);
    }
}

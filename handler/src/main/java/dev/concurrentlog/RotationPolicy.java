package dev.concurrentlog;

/**
 * The rotation settings of one handler, immutable, so a setter swaps the whole policy while records are written.
 *
 * @param rotateSize     the size in bytes a file may reach before it is rotated
 * @param maxBackupIndex the number of backups kept; 0 never rotates
 * @param creator        how new files are created (their permissions)
 */
record RotationPolicy(long rotateSize, int maxBackupIndex, FileCreator creator) {

    /**
     * A file of {@code currentSize} bytes is rotated before {@code recordLength} more are written if they would take it
     * past {@code rotateSize}. An empty file is never rotated, so a record larger than {@code rotateSize} gets a file of
     * its own and no file exceeds {@code rotateSize} by more than one record.
     */
    boolean rotationDue(long currentSize, long recordLength) {
        return maxBackupIndex > 0 && currentSize > 0 && currentSize + recordLength > rotateSize;
    }

    RotationPolicy withRotateSize(long bytes) {
        return new RotationPolicy(bytes, maxBackupIndex, creator);
    }

    RotationPolicy withMaxBackupIndex(int index) {
        return new RotationPolicy(rotateSize, index, creator);
    }

    RotationPolicy withCreator(FileCreator fileCreator) {
        return new RotationPolicy(rotateSize, maxBackupIndex, fileCreator);
    }
}

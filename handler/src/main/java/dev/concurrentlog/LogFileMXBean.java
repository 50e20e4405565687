package dev.concurrentlog;

/**
 * What this JVM does to one shared log file, in the platform MBean server as
 * {@code dev.concurrentlog:type=LogFile,path="<absolute path>"} while a handler of this JVM writes the file. Counters
 * count from the moment the first handler of this JVM attached to the file; other processes count their own. Reading
 * an attribute takes no lock of the handler.
 */
public interface LogFileMXBean {

    /** The log file's absolute path. */
    String getPath();

    /** The lock file the processes coordinate through. */
    String getLockFile();

    /** Records this JVM wrote to the file (and its backups before they became backups). */
    long getRecordsWritten();

    /** Bytes of those records. */
    long getBytesWritten();

    /**
     * Records that took the locked path: queued and written under the in-JVM lock (buffered records, and waited ones
     * that could not be appended on their own: a rotation was due, appends were closed, or others were queued).
     */
    long getLockedPathRecords();

    /** Records written holding the OS lock (to rotate or repair). */
    long getRecordsWrittenUnderOsLock();

    /** Size rotations this JVM made. */
    long getRotationsBySize();

    /** Time rotations this JVM made. */
    long getRotationsByTime();

    /** Waits for the OS lock. */
    long getOsLockWaits();

    /** Their total, in microseconds. */
    long getOsLockWaitMicros();

    /** The longest of them, in microseconds. */
    long getOsLockLongestWaitMicros();

    /** Times another process held the OS lock past {@code lockTimeout}, so that this JVM wrote without it. */
    long getLockTimeoutEpisodes();

    /** Records written without the OS lock in those episodes (without rotating). */
    long getRecordsWrittenWithoutLock();

    /** Writes that failed (a full disk, an I/O error). */
    long getWriteFailures();

    /** Records those writes failed to write. */
    long getRecordsDropped();

    /** Backups this JVM compressed. */
    long getCompressionsDone();

    /** Compressions that failed (each is tried again a minute later). */
    long getCompressionsFailed();

    /** Compression jobs of this file queued or under way in this JVM. */
    long getCompressionJobsWaiting();

    /** The last problem reported for the file, or empty. */
    String getLastError();

    /** When it was reported, in epoch milliseconds; 0 if never. */
    long getLastErrorEpochMillis();

    /** When it was reported (ISO-8601), or empty. */
    String getLastErrorTime();

    /** The generation of the file at the path: counted up by each process that replaces it. -1 if not known. */
    long getGeneration();

    /** The start of the current period (ISO-8601) with a time-based {@code suffix}; empty if none or not known yet. */
    String getCurrentPeriod();
}

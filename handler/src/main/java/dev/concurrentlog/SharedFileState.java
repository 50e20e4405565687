package dev.concurrentlog;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the processes sharing a lock file know about the log file, kept in the lock file itself (memory-mapped), so a
 * batch needs no {@code stat} to learn whether another process rotated the log and how large it is:
 * <ul>
 * <li>which log the state describes (a hash of its path: several logs may share one lock file);</li>
 * <li>a generation, counted up by every process that replaces the file at the path (rotation, truncation, creation);</li>
 * <li>where the last writer holding the lock left the end of the file, or -1 while a write is under way or failed, so a
 * writer that died part way is noticed by the next one;</li>
 * <li>a flag that a writer without the lock (past {@code lockTimeout}) sets after each of its writes;</li>
 * <li>with a time-based {@code suffix}, the start of the open file's period (epoch milliseconds), so that every process
 * agrees when the next period begins.</li>
 * </ul>
 * Everything but the flag is read and written only under the OS lock. The state lies beyond the bytes that carry the
 * locks, and a lock file with garbage in it only costs a {@code stat}: nothing here is trusted unless its marker and
 * log hash match.
 */
final class SharedFileState {

    private static final long OFFSET = 64;
    private static final int SIZE = 64;
    private static final long MARKER = 0x43524846_53544154L; // "CRHFSTAT"
    private static final int MARKER_AT = 0;
    private static final int LOG_AT = 8;
    private static final int GENERATION_AT = 16;
    private static final int END_AT = 24;
    private static final int FOREIGN_AT = 32;
    private static final int PERIOD_AT = 40;
    /** The period of the open file is not known yet: it is taken from the file or its first record. */
    static final long UNKNOWN_PERIOD = Long.MIN_VALUE;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final MappedByteBuffer map;

    private SharedFileState(MappedByteBuffer map) {
        this.map = map;
    }

    /** Maps the state of the lock file open in {@code channel}, or returns null if the file system cannot map it. */
    static SharedFileState map(FileChannel channel) {
        try {
            return new SharedFileState(channel.map(FileChannel.MapMode.READ_WRITE, OFFSET, SIZE));
        } catch (IOException | UnsupportedOperationException e) {
            return null; // every batch then reads the file's identity and size from the file system
        }
    }

    /** The key that tells logs apart in a shared lock file: a 64-bit FNV-1a hash of the log's absolute path. */
    static long logKey(String absolutePath) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : absolutePath.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    /** Whether the state describes the log with {@code logKey}; if not, nothing else in it may be used. */
    boolean describes(long logKey) {
        return get(MARKER_AT) == MARKER && get(LOG_AT) == logKey;
    }

    long generation() {
        return get(GENERATION_AT);
    }

    /** The end of the file as the last writer holding the lock left it; -1 if unknown. */
    long end() {
        return get(END_AT);
    }

    /**
     * Makes the state describe the log with {@code logKey}, a file at the path that no process has opened in this
     * state yet: the generation moves on, so every process reopens the path, and the end is unknown.
     *
     * @return the new generation
     */
    long replaced(long logKey) {
        boolean known = describes(logKey);
        long generation = known ? generation() + 1 : System.nanoTime();
        if (!known) {
            set(PERIOD_AT, UNKNOWN_PERIOD);
        }
        set(END_AT, -1);
        set(GENERATION_AT, generation);
        set(LOG_AT, logKey);
        set(MARKER_AT, MARKER);
        return generation;
    }

    /** The start of the open file's period, or {@link #UNKNOWN_PERIOD}. */
    long periodStart() {
        return get(PERIOD_AT);
    }

    void periodStart(long start) {
        set(PERIOD_AT, start);
    }

    /** Called before a write under the lock: until {@link #written}, the end is unknown. */
    void writing() {
        set(END_AT, -1);
    }

    void written(long end) {
        set(END_AT, end);
    }

    /** Called by a writer without the lock after each write: the end in the state no longer counts every byte. */
    void foreignWrite() {
        set(FOREIGN_AT, 1);
    }

    /** Clears the flag of {@link #foreignWrite} and says whether it was set; call before reading the real size. */
    boolean takeForeignWrite() {
        if (get(FOREIGN_AT) == 0) {
            return false;
        }
        set(FOREIGN_AT, 0);
        return true;
    }

    private long get(int at) {
        return (long) LONGS.getVolatile(map, at);
    }

    private void set(int at, long value) {
        LONGS.setVolatile(map, at, value);
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.LongPredicate;

/**
 * What the processes sharing a lock file know about the log file, kept in the lock file itself (memory-mapped), so
 * that appending needs no lock and no {@code stat}:
 * <ul>
 * <li>which log the state describes (a hash of its path: several logs may share one lock file);</li>
 * <li>a generation, counted up by every process that replaces the file at the path (rotation, truncation, creation);</li>
 * <li>the <em>ticket</em>: one word that holds whether appends without the OS lock are open, the low bits of the
 * generation they are open for, and how many bytes the open file holds once every reservation is written. A writer
 * reserves its bytes with one compare-and-set of this word, then appends them; a process that takes the OS lock closes
 * the ticket first, so that no one reserves while it rotates or repairs;</li>
 * <li>a flag that a writer without the lock (past {@code lockTimeout}) sets after each of its writes;</li>
 * <li>with a time-based {@code suffix}, the start of the open file's period (epoch milliseconds), so that every process
 * agrees when the next period begins;</li>
 * <li>one slot per process ({@link #SLOTS} of them, a cache line each, after the ticket's own line): how many of its
 * appends have reserved their bytes and not yet written them, and the generation of their file. Its OS lock (see
 * {@link WriterSlots}) tells a live process from a dead one.</li>
 * </ul>
 * Everything but the ticket, the flag and the slots is written only under the OS lock. The state lies beyond the
 * bytes that carry the locks, and a lock file with garbage in it only costs a {@code stat}: nothing here is trusted
 * unless its marker and log hash match. Words are read and written as volatile, with the native byte order: the
 * mapping is shared, so a compare-and-set is atomic across processes as it is across threads.
 */
final class LockFileState {

    /** How many processes can append without the OS lock at once; more of them write under it. */
    static final int SLOTS = 128;
    private static final long OFFSET = 64;
    /** Each part on a cache line of its own: the header is read by every append, the ticket written by every one. */
    private static final int LINE = 64;
    private static final int TICKET_AT = LINE;
    private static final int FIRST_SLOT_AT = 2 * LINE;
    private static final long MARKER = 0x43524846_53544154L; // "CRHFSTAT"
    private static final int MARKER_AT = 0;
    private static final int LOG_AT = 8;
    private static final int GENERATION_AT = 16;
    // 24: unused (the end of the file, before the ticket took its place)
    private static final int FOREIGN_AT = 32;
    private static final int PERIOD_AT = 40;
    /** The period of the open file is not known yet: it is taken from the file or its first record. */
    static final long UNKNOWN_PERIOD = Long.MIN_VALUE;

    /** Ticket bit 63: appends without the OS lock are open. */
    private static final long OPEN = Long.MIN_VALUE;
    private static final int TAG_SHIFT = 47;
    private static final long TAG_MASK = 0xffffL;
    /** Ticket bits 0-46: the bytes of the file; all ones: unknown. */
    private static final long BYTES = (1L << TAG_SHIFT) - 1;
    /** Slot bit 63: the process has appends in flight; bits 47-62 the generation of their file, 0-46 how many. */
    private static final long IN_FLIGHT = Long.MIN_VALUE;
    private static final long COUNT = (1L << TAG_SHIFT) - 1;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final MappedByteBuffer map;

    private LockFileState(MappedByteBuffer map) {
        this.map = map;
    }

    /** Maps the state of the lock file open in {@code channel}, or returns null if the file system cannot map it. */
    static LockFileState map(FileChannel channel) {
        try {
            return new LockFileState(channel.map(FileChannel.MapMode.READ_WRITE, OFFSET,
                    FIRST_SLOT_AT + (long) SLOTS * LINE));
        } catch (IOException | UnsupportedOperationException e) {
            return null; // every batch then takes the OS lock and reads the file's identity and size from the file system
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

    /**
     * Makes the state describe the log with {@code logKey}, a file at the path that no process has opened in this
     * state yet: the generation moves on, so every process reopens the path, and the ticket is closed with the end
     * unknown. The OS lock is held.
     *
     * @return the new generation
     */
    long replaced(long logKey) {
        boolean known = describes(logKey);
        // counted on across the logs that share the lock file, so that an append's 16-bit tag never takes another
        // log's file for its own: only a state never written starts anew
        long generation = get(MARKER_AT) == MARKER ? generation() + 1 : System.nanoTime();
        if (!known) {
            set(PERIOD_AT, UNKNOWN_PERIOD);
        }
        set(TICKET_AT, BYTES);
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

    // The ticket.

    long ticket() {
        return get(TICKET_AT);
    }

    /**
     * Whether appends without the OS lock have opened again since the ticket was {@code before}: it was closed and is
     * open now, or it is open now for another file (a process rotated in between).
     */
    boolean reopenedSince(long before) {
        long now = ticket();
        return now < 0 && (before >= 0 || ((now ^ before) >>> TAG_SHIFT & TAG_MASK) != 0);
    }

    /** Whether {@code ticket} lets a process whose open file has {@code generation} append without the OS lock. */
    static boolean openFor(long ticket, long generation) {
        return ticket < 0 && ((ticket >>> TAG_SHIFT) & TAG_MASK) == (generation & TAG_MASK);
    }

    /** The bytes of the file that {@code ticket} counts, once every reservation is written; -1 if unknown. */
    static long bytes(long ticket) {
        long bytes = ticket & BYTES;
        return bytes == BYTES ? -1 : bytes;
    }

    /**
     * Reserves {@code length} bytes of the file of {@code generation} for the process of {@code slot}, if the ticket is
     * open for that file and {@code fitsAt} accepts the size the file has before them (see {@link #bytes}). On success
     * one more append of the process is in flight (until {@link #landed}): it is marked in the slot before the
     * compare-and-set that reserves, so a process that closes the ticket after the reservation sees it when it drains.
     *
     * @return false if nothing was reserved: the ticket is closed or open for another file, the bytes do not fit, or
     *         the process still has appends in flight for an older file
     */
    boolean reserve(int slot, long generation, long length, LongPredicate fitsAt) {
        while (true) {
            long ticket = ticket();
            if (!openFor(ticket, generation) || !fitsAt.test(bytes(ticket)) || !enter(slot, generation)) {
                return false;
            }
            if (LONGS.compareAndSet(map, TICKET_AT, ticket, ticket + length)) {
                return true;
            }
            landed(slot); // another append reserved first: look again
        }
    }

    /**
     * Closes the ticket, so that no one reserves any more until {@link #open}; the OS lock is held.
     *
     * @return the ticket as it was closed
     */
    long close() {
        while (true) {
            long ticket = ticket();
            if (ticket >= 0 || LONGS.compareAndSet(map, TICKET_AT, ticket, ticket & ~OPEN)) {
                return ticket & ~OPEN;
            }
        }
    }

    /** Opens the ticket for appends to the file of {@code generation}, which ends at {@code end}; the OS lock is held. */
    void open(long generation, long end) {
        set(TICKET_AT, OPEN | (generation & TAG_MASK) << TAG_SHIFT | end);
    }

    /**
     * The bytes of the file that the ticket counts, reservations included; -1 if unknown. Exact once the ticket is closed
     * and no live process has bytes in flight.
     */
    long end() {
        return bytes(ticket());
    }

    /**
     * Closes the ticket with the end unknown, under the OS lock: before a write under the lock (until
     * {@link #written}), or after a dead appender. The next process to take the lock reads the file's size.
     */
    void endUnknown() {
        set(TICKET_AT, BYTES);
    }

    /**
     * Closes the ticket with the end unknown after a reserved append to the file of {@code generation} failed, without
     * the OS lock (the next process to take it reads the file's size, once this process's slot has landed); unless the
     * ticket is open for another file by now: a process that stopped waiting for this append has rotated, and the file
     * it opened appends for lacks nothing.
     */
    void appendFailed(long generation) {
        while (true) {
            long ticket = ticket();
            if (ticket < 0 && !openFor(ticket, generation)
                    || LONGS.compareAndSet(map, TICKET_AT, ticket, BYTES)) {
                return;
            }
        }
    }

    /** Called after a write under the lock (the ticket stays closed). */
    void written(long end) {
        set(TICKET_AT, end);
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

    // The process slots.

    /**
     * Counts one more append of the process of {@code slot} in flight for the file of {@code generation}, unless it
     * has appends in flight for another file (one that a drain stopped waiting for): before a reservation, and before a
     * write without the OS lock (past {@code lockTimeout}), which reserves nothing. Ended by {@link #landed}.
     */
    boolean enter(int slot, long generation) {
        int at = slotAt(slot);
        long mark = IN_FLIGHT | (generation & TAG_MASK) << TAG_SHIFT;
        while (true) {
            long word = get(at);
            if (word != 0 && (word & ~COUNT) != mark) {
                return false;
            }
            if (LONGS.compareAndSet(map, at, word, word == 0 ? mark | 1 : word + 1)) {
                return true;
            }
        }
    }

    /** One append of the process of {@code slot} has landed: its write has returned. */
    void landed(int slot) {
        int at = slotAt(slot);
        while (true) {
            long word = get(at);
            if (LONGS.compareAndSet(map, at, word, (word & COUNT) <= 1 ? 0L : word - 1)) {
                return;
            }
        }
    }

    /**
     * Clears the slot of a process that died, or that a new owner claims.
     *
     * @return whether the slot counted appends in flight: their bytes are reserved, and may be missing or cut short
     */
    boolean clear(int slot) {
        long word = get(slotAt(slot));
        set(slotAt(slot), 0L);
        return word != 0;
    }

    /** The word of {@code slot}, for {@link #inFlightForAnother} and {@link #clearIf}. */
    long slot(int slot) {
        return get(slotAt(slot));
    }

    /**
     * Whether a slot's {@code word} says its process has bytes in flight for a file other than that of
     * {@code generation}: appends a drain stopped waiting for (past {@code lockTimeout}), which land in that file, a
     * backup by now, when they go on.
     */
    static boolean inFlightForAnother(long word, long generation) {
        return word < 0 && ((word >>> TAG_SHIFT) & TAG_MASK) != (generation & TAG_MASK);
    }

    /**
     * Clears {@code slot} if it still holds {@code seen}: a slot found dead without the OS lock, which a new owner may
     * have claimed since (under the OS lock) and counted a live append in.
     */
    void clearIf(int slot, long seen) {
        LONGS.compareAndSet(map, slotAt(slot), seen, 0L);
    }

    /** Whether the process of {@code slot} has bytes in flight for the file of {@code generation}. */
    boolean inFlight(int slot, long generation) {
        long word = get(slotAt(slot));
        return word < 0 && ((word >>> TAG_SHIFT) & TAG_MASK) == (generation & TAG_MASK);
    }

    private static int slotAt(int slot) {
        return FIRST_SLOT_AT + slot * LINE;
    }

    private long get(int at) {
        return (long) LONGS.getVolatile(map, at);
    }

    private void set(int at, long value) {
        LONGS.setVolatile(map, at, value);
    }
}

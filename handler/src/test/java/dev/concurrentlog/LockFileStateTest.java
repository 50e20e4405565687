package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared state's words, as two logs that share one lock file use them. */
class LockFileStateTest {

    @TempDir
    Path dir;
    private FileChannel channel;
    private LockFileState state;

    @BeforeEach
    void mapState() throws IOException {
        channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        state = LockFileState.map(channel);
    }

    @AfterEach
    void closeChannel() throws IOException {
        channel.close();
    }

    // an append carries only 16 bits of its generation: a file of one log must never pass for the other's
    @Test
    void generationsCountOnAcrossTheLogsThatShareALockFile() {
        long a = LockFileState.logKey("/logs/a.log");
        long b = LockFileState.logKey("/logs/b.log");
        long first = state.replaced(a);
        state.open(first, 0);
        assertTrue(LockFileState.openFor(state.ticket(), first));
        long second = state.replaced(b);
        assertEquals(first + 1, second);
        state.open(second, 0);
        assertFalse(LockFileState.openFor(state.ticket(), first), "a.log's file is not b.log's");
        assertEquals(second + 1, state.replaced(a));
    }

    @Test
    void appendsReopenedSinceAClosedTicketOrForANewerFile() {
        long log = LockFileState.logKey("/logs/a.log");
        long first = state.replaced(log);
        state.open(first, 100);
        long openForFirst = state.ticket();
        assertFalse(state.reopenedSince(openForFirst), "still the same file");
        state.close();
        long closed = state.ticket();
        assertFalse(state.reopenedSince(closed));
        state.open(first, 100); // a batch written under the lock, the same file
        assertTrue(state.reopenedSince(closed));
        assertFalse(state.reopenedSince(openForFirst));
        state.open(state.replaced(log), 0); // rotated
        assertTrue(state.reopenedSince(openForFirst));
    }

    // a failed append must not close the ticket a process opened for the next file after it stopped waiting for it
    @Test
    void aFailedAppendClosesOnlyTheTicketOfItsOwnFile() {
        long log = LockFileState.logKey("/logs/a.log");
        long old = state.replaced(log);
        state.open(old, 100);
        long next = state.replaced(log); // rotated past an append to the old file
        state.open(next, 0);
        state.appendFailed(old);
        assertTrue(LockFileState.openFor(state.ticket(), next), "the new file's appends stay open");
        assertEquals(0, state.end());

        state.appendFailed(next);
        assertFalse(LockFileState.openFor(state.ticket(), next), "closed");
        assertEquals(-1, state.end(), "the size is read again under the lock");

        state.open(next, 40);
        state.close(); // a process took the OS lock and waits for this append
        state.appendFailed(next);
        assertEquals(-1, state.end());
    }
}

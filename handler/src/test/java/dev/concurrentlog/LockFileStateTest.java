package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared state's words, as two logs that share one lock file use them. */
class LockFileStateTest {

    @TempDir
    Path dir;

    // an append carries only 16 bits of its generation: a file of one log must never pass for the other's
    @Test
    void generationsCountOnAcrossTheLogsThatShareALockFile() throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            LockFileState state = LockFileState.map(channel);
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
    }
}

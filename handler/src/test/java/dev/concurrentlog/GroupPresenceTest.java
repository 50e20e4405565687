package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence on the lock file, as one JVM takes it. */
class GroupPresenceTest {

    @TempDir
    Path dir;

    // a blocking lock call that an interrupt hits closes the channel, and with it every lock of the JVM on the lock
    // file: the mutex, the slot, and the lock on the backups that another thread may be shifting under
    @Test
    void anInterruptedThreadTakesPresenceWithoutClosingTheLockFilesChannel() throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(".app.log.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            GroupPresence presence = new GroupPresence();
            Thread.currentThread().interrupt();
            try {
                presence.retake(channel);
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status stays the caller's");
            }
            assertTrue(channel.isOpen(), "the lock file's channel was closed by the interrupt");
            // held: within one JVM the JDK refuses a lock that overlaps one it holds
            assertThrows(OverlappingFileLockException.class, () -> channel.tryLock(1, 1, false));
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * Presence on a lock file: every JVM that has the lock file open holds a shared lock on its byte 1, which the kernel
 * drops when the JVM dies. {@link #alone(FileChannel)} tells whether any other process is present: that is what
 * {@code append=false} and {@code rotateOnBoot} wait for, so that they never erase or move another process's records.
 * Used only under the lock file's in-JVM lock.
 */
final class GroupPresence {

    private static final long PRESENCE_BYTE = 1;

    private FileLock presence;

    /**
     * Takes presence if it is not held (again, on a reopened channel: closing the old one dropped it). With
     * {@code tryLock}, which an interrupt cannot break: the blocking {@code lock} closes the channel when interrupted,
     * and with it every lock of the JVM on the lock file. Under the mutex it always succeeds; without it, it fails
     * while another process probes (see {@link #alone}), and the caller takes it again once it holds the mutex.
     */
    void retake(FileChannel open) throws IOException {
        if (presence == null || !presence.isValid()) {
            try {
                presence = open.tryLock(PRESENCE_BYTE, 1, true);
            } catch (OverlappingFileLockException e) {
                presence = null; // another copy of the handler in this JVM holds presence for the JVM
            }
        }
    }

    /** The channel was closed, and presence with it. */
    void dropped() {
        presence = null;
    }

    /**
     * Whether no other process has the lock file open. The mutex (byte 0) must be held, so that no two processes
     * probe at once: presence is let go, byte 1 probed with an exclusive lock, and presence taken again.
     */
    boolean alone(FileChannel open) throws IOException {
        if (presence != null) {
            presence.release();
            presence = null;
        }
        try {
            FileLock probe = open.tryLock(PRESENCE_BYTE, 1, false);
            if (probe == null) {
                return false;
            }
            probe.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // another copy of the handler in this JVM is present
        } finally {
            retake(open);
        }
    }
}

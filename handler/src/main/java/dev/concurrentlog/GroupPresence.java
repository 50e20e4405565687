package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * Presence on a lock file: every JVM that has the lock file open holds a shared lock on its byte 1. A JVM that opens
 * the lock file while no other JVM holds presence is the first of its group; {@link #claimGroupStart()} tells it so
 * (this is what {@code rotateOnBoot} and {@code append} use). Used only under the lock file's in-JVM lock.
 */
final class GroupPresence {

    private static final long PRESENCE_BYTE = 1;

    private FileLock presence;
    private boolean groupStart;

    /**
     * This JVM's first time on the lock file: finds out whether it starts the group, then becomes present. The
     * mutex (byte 0) must be held, so that no two processes probe at once.
     */
    void join(FileChannel open) throws IOException {
        groupStart = probe(open);
        retake(open);
    }

    /** Takes presence again on a reopened channel (closing the old one dropped it); the mutex need not be held. */
    void retake(FileChannel open) throws IOException {
        if (presence == null || !presence.isValid()) {
            try {
                presence = open.lock(PRESENCE_BYTE, 1, true);
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
     * @return true, once, if no other process had the lock file open when this JVM first locked it (this JVM started
     *         its group); false to every later caller, so only the first log file started on this lock file in this
     *         JVM gets the group-start treatment. The OS lock must be held.
     */
    boolean claimGroupStart() {
        boolean result = groupStart;
        groupStart = false;
        return result;
    }

    private static boolean probe(FileChannel open) throws IOException {
        FileLock probe;
        try {
            probe = open.tryLock(PRESENCE_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            return false; // another copy of the handler in this JVM is present: the group is running
        }
        if (probe == null) {
            return false;
        }
        probe.release();
        return true;
    }
}

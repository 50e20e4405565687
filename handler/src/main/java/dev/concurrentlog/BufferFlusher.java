package dev.concurrentlog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds how long buffered records (autoFlush=false) stay in memory: one daemon thread per JVM writes every file's
 * buffered records at least every {@link #MAX_DELAY_NANOS}, and a shutdown hook writes every open file's when the JVM
 * exits.
 */
final class BufferFlusher {

    /** The longest a buffered record waits in memory. */
    static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Set<SharedLogFile> BUFFERING = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private BufferFlusher() {
    }

    /** {@code file} has buffered records: make sure they are written within {@link #MAX_DELAY_NANOS}. */
    static void watch(SharedLogFile file) {
        // a lookup first: adding a present key locks its bin, and every buffered record calls this
        if (!BUFFERING.contains(file) && BUFFERING.add(file) && thread == null) {
            start();
        }
    }

    /** Writes what every file has buffered, now. */
    static void flushAll() {
        for (SharedLogFile file : BUFFERING) {
            BUFFERING.remove(file);
            file.flush();
        }
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread flusher = DaemonThreads.start("concurrent-log-handler flusher", BufferFlusher::run);
        // At exit, every open file is flushed, including one the flusher thread has just taken out of the set: the
        // flush waits for the lock, so it also waits for a write the flusher has under way.
        Runtime.getRuntime().addShutdownHook(new Thread(SharedLogFile::flushAllOpen,
                "concurrent-log-handler shutdown flush"));
        thread = flusher;
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(MAX_DELAY_NANOS / 2);
            Thread.interrupted(); // nobody should interrupt this thread; if someone does, keep flushing
            try {
                flushAll();
            } catch (RuntimeException | Error e) {
                // flush reports write problems to the handlers; this thread must not die
            }
        }
    }
}

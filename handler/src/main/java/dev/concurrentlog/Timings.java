package dev.concurrentlog;

import java.util.concurrent.TimeUnit;

/**
 * How long the handler waits before it looks again at what may change outside it. Each handler has its own; a
 * log file shared by several handlers of one JVM uses those of the first one that opened it. Tests pass their own
 * through the handler's package-private constructor and may change them while it runs.
 */
final class Timings {

    /**
     * How long after a failed rotation the JVM waits before it tries again; after a failed shift of the backups, the
     * first pause (it doubles on each failure, up to a minute).
     */
    volatile long rotationRetryNanos = TimeUnit.SECONDS.toNanos(1);
    /** How long, at most, the file at the path goes without being compared with the open one (an outside tool). */
    volatile long identityCheckNanos = TimeUnit.MILLISECONDS.toNanos(10);
}

package dev.concurrentlog;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link LogFileMXBean} of one {@link SharedLogFile}: registered in the platform MBean server when the first handler
 * of this JVM attaches to the file, unregistered when the last one lets go. It reads {@link LogFileStats} and the lock
 * file's shared state, never a lock. If the name is taken (another class loader's copy of the handler writes the same
 * file in this JVM), this copy stays unregistered.
 */
final class LogFileMonitor implements LogFileMXBean {

    /** The MBeans' domain. */
    static final String DOMAIN = "dev.concurrentlog";

    private final Path path;
    private final LockFileGuard guard;
    private final LogFileStats stats;
    private final long logKey;
    // guarded by this
    private ObjectName registered;
    private boolean registering;
    private boolean unregistered;

    LogFileMonitor(Path path, LockFileGuard guard, LogFileStats stats) {
        this.path = path.toAbsolutePath();
        this.guard = guard;
        this.stats = stats;
        this.logKey = LockFileState.logKey(this.path.toString());
    }

    /** The name of the MBean of {@code path}: {@code dev.concurrentlog:type=LogFile,path="<absolute path>"}. */
    static ObjectName name(Path path) throws JMException {
        return new ObjectName(DOMAIN + ":type=LogFile,path=" + ObjectName.quote(path.toAbsolutePath().toString()));
    }

    /**
     * Registers the MBean, if it is not yet and the platform MBean server takes it; never once {@link #unregister}ed.
     * Called by each handler that attaches, outside the registry's monitor; a log record that the MBean server writes
     * meanwhile through this handler finds it under way.
     */
    synchronized void register() {
        if (registered != null || registering || unregistered) {
            return;
        }
        registering = true;
        try {
            ObjectName name = name(path);
            platform().registerMBean(this, name);
            registered = name;
        } catch (JMException | RuntimeException | LinkageError e) {
            // already there (another copy of the handler), or no JMX in this runtime: the file is written all the same
        } finally {
            registering = false;
        }
    }

    /** Unregisters the MBean, if this monitor registered it, for good. */
    synchronized void unregister() {
        unregistered = true;
        ObjectName name = registered;
        registered = null;
        if (name != null) {
            try {
                platform().unregisterMBean(name);
            } catch (JMException | RuntimeException e) {
                // unregistered by someone else meanwhile
            }
        }
    }

    private static MBeanServer platform() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    @Override
    public String getPath() {
        return path.toString();
    }

    @Override
    public String getLockFile() {
        return guard.path().toAbsolutePath().toString();
    }

    @Override
    public long getRecordsWritten() {
        return stats.records();
    }

    @Override
    public long getBytesWritten() {
        return stats.bytes();
    }

    @Override
    public long getLockedPathRecords() {
        return stats.lockedPathRecords();
    }

    @Override
    public long getRecordsWrittenUnderOsLock() {
        return stats.osLockRecords();
    }

    @Override
    public long getRotationsBySize() {
        return stats.rotationsBySize();
    }

    @Override
    public long getRotationsByTime() {
        return stats.rotationsByTime();
    }

    @Override
    public long getOsLockWaits() {
        return stats.osLockWaits();
    }

    @Override
    public long getOsLockWaitMicros() {
        return TimeUnit.NANOSECONDS.toMicros(stats.osLockWaitNanos());
    }

    @Override
    public long getOsLockLongestWaitMicros() {
        return TimeUnit.NANOSECONDS.toMicros(stats.longestOsLockWaitNanos());
    }

    @Override
    public long getLockTimeoutEpisodes() {
        return stats.lockTimeouts();
    }

    @Override
    public long getRecordsWrittenWithoutLock() {
        return stats.recordsWithoutLock();
    }

    @Override
    public long getWriteFailures() {
        return stats.writeFailures();
    }

    @Override
    public long getRecordsDropped() {
        return stats.recordsDropped();
    }

    @Override
    public long getCompressionsDone() {
        return stats.compressionsDone();
    }

    @Override
    public long getCompressionsFailed() {
        return stats.compressionsFailed();
    }

    @Override
    public long getCompressionJobsWaiting() {
        return stats.compressionJobsWaiting();
    }

    @Override
    public String getLastError() {
        return stats.lastError();
    }

    @Override
    public long getLastErrorEpochMillis() {
        return stats.lastErrorMillis();
    }

    @Override
    public String getLastErrorTime() {
        long millis = stats.lastErrorMillis();
        return millis == 0 ? "" : Instant.ofEpochMilli(millis).toString();
    }

    @Override
    public long getGeneration() {
        LockFileState state = guard.state();
        return state != null && state.describes(logKey) ? state.generation() : -1;
    }

    @Override
    public String getCurrentPeriod() {
        LockFileState state = guard.state();
        long start = state != null && state.describes(logKey) ? state.periodStart() : LockFileState.UNKNOWN_PERIOD;
        return start == LockFileState.UNKNOWN_PERIOD ? "" : Instant.ofEpochMilli(start).toString();
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.ErrorManager;

/**
 * One handler's link to the file it writes: which file and lock file (its {@link LogTarget}), the {@link SharedLogFile}
 * once attached (on the first record), and closing. Changing the target and closing hold the write lock; attaching,
 * buffering and flushing hold the read lock, so none of them is under way while they detach. A record written with
 * {@code autoFlush} to an attached file takes no lock here: the file refuses it if it was closed meanwhile, and it is
 * written again under the read lock. If another handler of the JVM still writes the same file, such a record,
 * published while this handler's target changed or it closed, may still go to the old file.
 */
final class FileAttachment {

    /** What the handler is configured with when it attaches: how the group start treats the file. */
    record StartSettings(WritePolicy policy, boolean append, boolean rotateOnBoot) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object attachMonitor = new Object();
    private final Supplier<StartSettings> settings;
    private final SharedLogFile.ErrorSink errors;
    private final Timings timings;

    // Changed only under the write lock.
    private volatile LogTarget target = LogTarget.NONE;
    private volatile boolean closed;
    private volatile SharedLogFile attached;

    FileAttachment(Supplier<StartSettings> settings, SharedLogFile.ErrorSink errors, Timings timings) {
        this.settings = settings;
        // problems reported for the attached file are its last error too (see LogFileMonitor)
        this.errors = (message, exception, code) -> {
            SharedLogFile file = attached;
            if (file != null) {
                file.stats().error(message, System.currentTimeMillis());
            }
            errors.report(message, exception, code);
        };
        this.timings = timings;
    }

    LogTarget target() {
        return target;
    }

    /**
     * Writes a record to the file, attaching first if need be: if {@code autoFlush}, returns once it is
     * in the file; otherwise buffers it. Whatever keeps it out of the file goes to the handler's error sink.
     */
    void write(String text, Charset charset, WritePolicy policy, long time, boolean autoFlush) {
        SharedLogFile file = attached;
        if (autoFlush && file != null) {
            // without the read lock, which costs every record a compare-and-set that all threads share: if the file
            // is released meanwhile, it refuses the record as closed, and the record is written as below
            IOException failure = file.write(text, charset, policy, time, errors);
            if (failure != SharedLogFile.CLOSED) {
                if (failure != null) {
                    errors.report("Unable to write a record: " + failure.getMessage(), failure,
                            ErrorManager.WRITE_FAILURE);
                }
                return;
            }
        }
        writeLocked(text, charset, policy, time, autoFlush);
    }

    private void writeLocked(String text, Charset charset, WritePolicy policy, long time, boolean autoFlush) {
        String refused = null;
        IOException failure = null;
        lock.readLock().lock();
        try {
            SharedLogFile file = attach();
            if (file == null) {
                refused = closed ? "Handler is closed; record not written"
                        : "Property \"fileName\" is not set; record not written";
            } else if (autoFlush) {
                failure = file.write(text, charset, policy, time, errors);
            } else {
                file.buffer(text, charset, policy, time, errors);
            }
        } finally {
            lock.readLock().unlock();
        }
        if (refused != null) {
            errors.report(refused, null, ErrorManager.WRITE_FAILURE);
        } else if (failure != null) {
            errors.report("Unable to write a record: " + failure.getMessage(), failure, ErrorManager.WRITE_FAILURE);
        }
    }

    /** Writes what is buffered for the attached file, if any. */
    void flush() {
        lock.readLock().lock();
        try {
            SharedLogFile file = attached;
            if (file != null) {
                file.flush();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Swaps the target and detaches from the old file; the next record attaches to the new one and applies the start
     * settings. With {@code restart}, a target equal to the old one is attached to anew too.
     */
    void changeTarget(UnaryOperator<LogTarget> change, boolean restart) {
        lock.writeLock().lock();
        try {
            LogTarget newTarget = change.apply(target);
            if (newTarget.equals(target) && !restart) {
                return;
            }
            detach();
            target = newTarget;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes buffered records and detaches for good; later writes are refused. */
    void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            SharedLogFile file = attached;
            if (file != null) {
                file.flush();
                file.shiftParked(settings.get().policy(), errors);
                file.awaitCompressions();
            }
            detach();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Returns the shared file, attaching to it on first use; the read lock is held. */
    private SharedLogFile attach() {
        SharedLogFile file = attached;
        LogTarget current = target;
        if (file != null || closed || current.file() == null) {
            return file;
        }
        IOException startFailure;
        synchronized (attachMonitor) {
            file = attached;
            if (file != null) {
                return file;
            }
            StartSettings start = settings.get();
            file = SharedLogFile.acquire(current.file(), current.lockFile(), start.policy().creator(), timings);
            try {
                startFailure = file.start(start.policy(), start.append(), start.rotateOnBoot(), errors);
            } catch (RuntimeException | Error e) {
                file.release();
                throw e;
            }
            attached = file;
        }
        if (!file.lockPath().equals(current.lockFile())) {
            errors.report("Property \"lockFile\" (" + current.lockFile() + ") is ignored: " + file.path()
                    + " is already written in this JVM with lock file " + file.lockPath(), null,
                    ErrorManager.GENERIC_FAILURE);
        }
        if (startFailure != null) {
            errors.report("Unable to open " + file.path() + ": " + startFailure.getMessage(), startFailure,
                    ErrorManager.OPEN_FAILURE);
        }
        return file;
    }

    private void detach() {
        SharedLogFile file = attached;
        attached = null;
        if (file != null) {
            file.release();
        }
    }
}

package dev.concurrentlog;

import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;

/**
 * A size-rotating file handler that any number of processes, handler instances and threads may use on the same file
 * at once: no record is lost, duplicated, torn or reordered within a thread, and each rotation happens exactly once.
 * <p>
 * Processes coordinate through a separate lock file ({@link #setLockFile(String) lockFile}); handlers in one JVM share
 * one in-JVM lock per file. Holding that, a thread reserves the bytes of the records waiting to be written in the lock
 * file's shared memory and appends them with one write call; the lock file's OS lock is taken only to rotate or repair
 * the file, and the process that rotates first waits for the appends other processes have reserved.
 * <p>
 * Configure it through its bean properties: as a WildFly {@code custom-handler}, from a jboss-logmanager
 * {@code logging.properties}, or in code. {@link #publish} never throws; problems go to the
 * {@linkplain #getErrorManager() error manager}. Every setter may be called while records are being written.
 */
public class ConcurrentRotatingFileHandler extends ExtHandler {

    static final String DEFAULT_ROTATE_SIZE = "10m";
    static final String DEFAULT_LOCK_TIMEOUT = "10s";
    private static final Formatter DEFAULT_FORMATTER =
            new PatternFormatter("%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n");

    /** Setters that change the policy hold it, so that no update is lost. */
    private final Object settingsMonitor = new Object();
    /** This handler's {@code reportError}, made once rather than per record. */
    private final SharedLogFile.ErrorSink errorSink = this::reportError;

    private volatile WritePolicy policy =
            new WritePolicy(ByteSize.parse("rotateSize", DEFAULT_ROTATE_SIZE), 1, FileCreator.DEFAULT,
                    TimeSpan.parseNanos("lockTimeout", DEFAULT_LOCK_TIMEOUT), RotationSuffix.NONE, 0);
    private volatile String rotateSize = DEFAULT_ROTATE_SIZE;
    private volatile String lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private volatile String timeZone;
    private volatile boolean append = true;
    private volatile boolean rotateOnBoot;
    private final FileAttachment attachment;

    /** The encoding name last seen and its charset, swapped as one. */
    private record Encoding(String name, Charset charset) {
    }

    private volatile Encoding encoding = new Encoding(null, StandardCharsets.UTF_8);

    /** Creates a handler with no file; set {@link #setFileName(String) fileName} before it logs. */
    public ConcurrentRotatingFileHandler() {
        this(new Timings());
    }

    /**
     * Creates a handler writing {@code fileName}, with every other property at its default.
     *
     * @param fileName the log file, as {@link #setFileName(String)} takes it
     */
    public ConcurrentRotatingFileHandler(String fileName) {
        this();
        setFileName(fileName);
    }

    /** Creates a handler with no file that waits as {@code timings} say (tests). */
    ConcurrentRotatingFileHandler(Timings timings) {
        attachment = new FileAttachment(() -> new FileAttachment.StartSettings(policy, append, rotateOnBoot),
                errorSink, timings);
    }

    @Override
    protected void doPublish(ExtLogRecord record) {
        try {
            publishRecord(record);
        } catch (Throwable e) {
            reportError("Unable to publish a record", e instanceof Exception ex ? ex : new RuntimeException(e),
                    ErrorManager.GENERIC_FAILURE);
        }
    }

    private void publishRecord(ExtLogRecord record) {
        String text;
        Charset charset;
        try {
            Formatter formatter = getFormatter();
            text = (formatter == null ? DEFAULT_FORMATTER : formatter).format(record);
            if (text == null || text.isEmpty()) {
                return;
            }
            charset = charset();
        } catch (Exception e) {
            reportError("Unable to format the record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        attachment.write(text, charset, policy, record.getMillis(), isAutoFlush());
    }

    private Charset charset() {
        String name = getEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        Encoding known = encoding;
        if (!name.equals(known.name())) {
            known = new Encoding(name, Charset.forName(name));
            encoding = known;
        }
        return known.charset();
    }

    /**
     * Writes the buffered records: those of {@code autoFlush=false}, and any logged from within a write (code run by
     * the handler, such as a charset, that logs). Every other {@code autoFlush=true} record is in the file when
     * {@code publish} returns.
     */
    @Override
    public void flush() {
        try {
            attachment.flush();
        } catch (RuntimeException e) {
            reportError("Unable to flush", e, ErrorManager.FLUSH_FAILURE);
        }
        super.flush();
    }

    /** Writes buffered records and releases the file; records published afterwards are reported and not written. */
    @Override
    public void close() {
        checkAccess(this);
        attachment.close();
        super.close();
    }

    /**
     * The character set records are written in; default UTF-8.
     *
     * @throws UnsupportedEncodingException naming the property and the value if this JVM has no such character set or
     *                                      cannot encode in it
     */
    @Override
    public void setEncoding(String encoding) throws UnsupportedEncodingException {
        if (encoding != null) {
            Charset charset;
            try {
                charset = Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedEncodingException(
                        InvalidValue.of("encoding", encoding, "this JVM has no such character set").getMessage());
            }
            if (!charset.canEncode()) {
                throw new UnsupportedEncodingException(
                        InvalidValue.of("encoding", encoding, "this character set can only decode").getMessage());
            }
        }
        super.setEncoding(encoding);
    }

    /**
     * The log file; relative names resolve against the working directory and missing parent directories are created.
     * Changing it on a running handler moves writing to the new file without losing a record. Setting it, even to the
     * same file, applies {@link #setAppend(boolean) append} and {@link #setRotateOnBoot(boolean) rotateOnBoot} anew,
     * at the next record.
     *
     * @param fileName the log file
     * @throws IllegalArgumentException if the value is empty, a directory, or its directory cannot be created or written
     */
    public void setFileName(String fileName) {
        checkAccess(this);
        Path path = PathValidator.writableFile("fileName", fileName);
        attachment.changeTarget(current -> current.withFile(path, fileName), true);
    }

    /** @return the log file's absolute path, or null if none is set */
    public String getFileName() {
        Path file = attachment.target().file();
        return file == null ? null : file.toString();
    }

    /**
     * The lock file the processes coordinate through; default: a hidden file beside the log, {@code .NAME.lock}. Every
     * process writing the log must use the same one. The handler never renames or deletes it. Blank means the default.
     *
     * @param lockFile the lock file, or blank for the default
     * @throws IllegalArgumentException if the value is a directory, the log file itself, or its directory is unusable
     */
    public void setLockFile(String lockFile) {
        checkAccess(this);
        Path path = lockFile == null || lockFile.isBlank() ? null : PathValidator.writableFile("lockFile", lockFile);
        attachment.changeTarget(current -> current.withLockFile(path, lockFile), false);
    }

    /** @return the lock file's absolute path (the default one if none was set), or null if no fileName is set */
    public String getLockFile() {
        Path lock = attachment.target().lockFile();
        return lock == null ? null : lock.toString();
    }

    /**
     * The size a file may reach before it is rotated: bytes, or a number with a unit as WildFly writes it ({@code 512k},
     * {@code 10m}, {@code 1g}; case-insensitive). Default {@code 10m}; {@code 0} never rotates by size (with a
     * {@link #setSuffix(String) suffix}: by time only, as WildFly's periodic-rotating-file-handler).
     *
     * @param rotateSize the size, such as {@code 10m}
     * @throws IllegalArgumentException if the value is empty, negative, too large or has an unknown unit
     */
    public void setRotateSize(String rotateSize) {
        checkAccess(this);
        long bytes = ByteSize.parseOrZero("rotateSize", rotateSize);
        synchronized (settingsMonitor) {
            policy = policy.withRotateSize(bytes);
            this.rotateSize = rotateSize.trim();
        }
    }

    /** @return the rotate size as configured, e.g. {@code 10m} */
    public String getRotateSize() {
        return rotateSize;
    }

    /** @return the rotate size in bytes */
    public long getRotateSizeBytes() {
        return policy.rotateSize();
    }

    /**
     * How many size backups ({@code NAME.1}, newest, to {@code NAME.N}; with a time suffix, per period:
     * {@code NAME<date>.1} to {@code NAME<date>.N}) are kept; the one beyond is deleted. Default 1; 0 never rotates by
     * size, as in jboss-logmanager.
     *
     * @param maxBackupIndex the number of size backups kept
     * @throws IllegalArgumentException if the value is negative
     */
    public void setMaxBackupIndex(int maxBackupIndex) {
        checkAccess(this);
        if (maxBackupIndex < 0) {
            throw InvalidValue.of("maxBackupIndex", maxBackupIndex, "it must be 0 or more");
        }
        synchronized (settingsMonitor) {
            policy = policy.withMaxBackupIndex(maxBackupIndex);
        }
    }

    /** @return the number of size backups kept */
    public int getMaxBackupIndex() {
        return policy.maxBackupIndex();
    }

    /**
     * The backups' suffix, as WildFly's periodic handlers take it: a {@link java.text.SimpleDateFormat} pattern
     * ({@code .yyyy-MM-dd}) whose finest field sets the rotation period ({@code y} year, {@code M} month, {@code w W}
     * week, {@code D d F E} day, {@code a} half day, {@code H k K h} hour, {@code m} minute; quoted text is literal).
     * At the first record of a new period, in {@link #setTimeZone(String) timeZone}, the file moves to
     * {@code NAME<suffix>}; size rotations within a period go to {@code NAME<date>.1} and up. A suffix ending in
     * {@code .gz} or {@code .zip} compresses backups, in the background; {@code .gz} alone compresses size backups.
     * Empty (the default): size rotation only.
     *
     * @param suffix the suffix, such as {@code .yyyy-MM-dd.gz}, or empty
     * @throws IllegalArgumentException if the value is not a SimpleDateFormat pattern (an unclosed quote, an unknown
     *                                  letter) or has seconds ({@code s}) or milliseconds ({@code S})
     */
    public void setSuffix(String suffix) {
        checkAccess(this);
        synchronized (settingsMonitor) {
            policy = policy.withSuffix(RotationSuffix.parse("suffix", suffix, policy.suffix().zone()));
        }
    }

    /** @return the suffix as configured, or null if none */
    public String getSuffix() {
        return policy.suffix().text();
    }

    /**
     * The time zone periods are computed in: a zone ID such as {@code Europe/Berlin} or {@code UTC}; default (or empty)
     * the JVM's. It applies whether it is set before or after {@link #setSuffix(String) suffix}.
     *
     * @param timeZone the zone ID, or empty for the JVM's
     * @throws IllegalArgumentException if the value is not a known zone ID
     */
    public void setTimeZone(String timeZone) {
        checkAccess(this);
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw InvalidValue.of("timeZone", timeZone, "not a known time zone ID (" + e.getMessage() + ")", e);
        }
        synchronized (settingsMonitor) {
            policy = policy.withSuffix(policy.suffix().withZone(zone));
            this.timeZone = timeZone == null || timeZone.isBlank() ? null : timeZone.trim();
        }
    }

    /** @return the time zone as configured, or null for the JVM's */
    public String getTimeZone() {
        return timeZone;
    }

    /**
     * With a time suffix, how many periods' backups are kept: at each time rotation, backups (in any form) last
     * modified before the last {@code maxHistory} periods are deleted. Default 0: all are kept, as WildFly keeps them.
     *
     * @param maxHistory the number of periods whose backups are kept, or 0 for all
     * @throws IllegalArgumentException if the value is negative
     */
    public void setMaxHistory(int maxHistory) {
        checkAccess(this);
        if (maxHistory < 0) {
            throw InvalidValue.of("maxHistory", maxHistory, "it must be 0 or more");
        }
        synchronized (settingsMonitor) {
            policy = policy.withMaxHistory(maxHistory);
        }
    }

    /** @return the number of periods whose backups are kept, 0 for all */
    public int getMaxHistory() {
        return policy.maxHistory();
    }

    /**
     * Whether the file is appended to (default true). False empties a non-empty file when the handler opens it (at the
     * first record after {@link #setFileName(String) fileName} is set), if it is the file's only writer: no other
     * handler of this JVM and no other process has it open. While others write it, it is only appended to, so no
     * one's records are erased.
     *
     * @param append false to empty the file when this handler is its only writer
     */
    public void setAppend(boolean append) {
        checkAccess(this);
        this.append = append;
    }

    /** @return whether the file is appended to */
    public boolean isAppend() {
        return append;
    }

    /**
     * Whether a non-empty file is rotated when the handler opens it (at the first record after
     * {@link #setFileName(String) fileName} is set), into the newest size backup ({@code NAME.1}, or
     * {@code NAME<date>.1} with a time suffix), if it is the file's only writer (default false). While other handlers
     * or processes write it, it is not rotated, so a domain starting or restarting one server does not make a storm of
     * small files.
     *
     * @param rotateOnBoot true to rotate a non-empty file when this handler is its only writer
     */
    public void setRotateOnBoot(boolean rotateOnBoot) {
        checkAccess(this);
        this.rotateOnBoot = rotateOnBoot;
    }

    /** @return whether a non-empty file is rotated when the handler opens it as its only writer */
    public boolean isRotateOnBoot() {
        return rotateOnBoot;
    }

    /**
     * POSIX permissions, as {@code ls -l} prints them (e.g. {@code rw-r-----}), given to the log, its backups and the
     * lock file from the moment this handler creates them. Empty means the platform default (umask).
     *
     * @param filePermissions the permissions, such as {@code rw-r-----}, or empty
     * @throws IllegalArgumentException if the value is not nine permission characters, lacks owner read and write, or
     *                                  the file system has no POSIX permissions
     */
    public void setFilePermissions(String filePermissions) {
        checkAccess(this);
        FileCreator creator = FileCreator.parse("filePermissions", filePermissions);
        synchronized (settingsMonitor) {
            policy = policy.withCreator(creator);
        }
    }

    /** @return the permissions as {@code ls -l} prints them, or null for the platform default */
    public String getFilePermissions() {
        return policy.creator().describe();
    }

    /**
     * How long a record waits for another process to let go of the lock file (it rotates), and a rotation for a process
     * that has reserved bytes of the file and not written them; default {@code 10s}. A number with a unit, {@code ms},
     * {@code s}, {@code m} or {@code h}; a bare number is milliseconds. When it passes for a record (a process that
     * hangs while holding the lock), the record is not dropped: it is appended to the log without the lock, in one
     * write, and so are the following records, without rotation, until the lock is free again. This is reported once
     * each time it starts.
     *
     * @param lockTimeout the timeout, such as {@code 10s}
     * @throws IllegalArgumentException if the value is empty, zero, negative, over 365 days or has an unknown unit
     */
    public void setLockTimeout(String lockTimeout) {
        checkAccess(this);
        long nanos = TimeSpan.parseNanos("lockTimeout", lockTimeout);
        synchronized (settingsMonitor) {
            policy = policy.withLockTimeout(nanos);
            this.lockTimeout = lockTimeout.trim();
        }
    }

    /** @return the lock timeout as configured, e.g. {@code 10s} */
    public String getLockTimeout() {
        return lockTimeout;
    }
}

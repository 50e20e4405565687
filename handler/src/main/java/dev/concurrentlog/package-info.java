/**
 * A JBoss LogManager handler that lets many processes write and rotate one log file.
 * <p>
 * The user's entry point is {@link dev.concurrentlog.ConcurrentRotatingFileHandler}: bean properties, validation, and
 * formatting of each record. Everything below it is package-private.
 * <dl>
 * <dt>Configuration values</dt>
 * <dd>{@code WritePolicy} (the settings a record is written with, swapped whole by setters), {@code ByteSize},
 * {@code TimeSpan}, {@code RotationSuffix} (the {@code suffix} pattern, its period and compression, in a time zone),
 * {@code FileCreator} ({@code filePermissions}), {@code PathValidator}, {@code LogTarget}, {@code InvalidValue} (the
 * one wording of a refused value).</dd>
 * <dt>The in-JVM registry</dt>
 * <dd>{@code FileAttachment} links one handler to its file; {@code CountedRegistry} gives every handler of a JVM the
 * same {@code SharedLogFile} per log and the same {@code LockFileGuard} per lock file, reference-counted.</dd>
 * <dt>The write path</dt>
 * <dd>{@code SharedLogFile} takes each record. One that its publisher waits for ({@code autoFlush=true}) is appended
 * by {@code LockFreeAppender} without any lock when it can be: its bytes reserved in the shared state, then one
 * {@code O_APPEND} write. Otherwise, and for buffered records, records are queued ({@code PendingRecord}, in one
 * queue of the JDK's); each publisher that waits for its record waits in line for the in-JVM lock, and whichever
 * thread holds it takes all queued records as a {@code Batch}, encodes them ({@code RecordEncoder}) and has
 * {@code BatchWriter} write them: reserved as above, or, to rotate or repair, under the OS lock.
 * {@code BufferFlusher} bounds how long buffered records wait.</dd>
 * <dt>Cross-process coordination</dt>
 * <dd>{@code LockFileGuard}: the in-JVM lock, then the OS lock on the lock file (byte 0), never renamed or deleted;
 * it is polled with {@code tryLock} until {@code lockTimeout}; the lock on the backups (byte 2), which whoever shifts,
 * compresses or deletes backups holds, and a size rotation's shift holds alone; {@code GroupPresence} (byte 1) tells whether
 * other processes have the file open; {@code LockFileState} (mapped from byte 64) holds what every process must
 * agree on: which file is current (generation), the ticket that appends reserve their bytes from, the current period,
 * and a slot per process for its bytes in flight; {@code WriterSlots} claims this JVM's slot (an OS lock from byte
 * 16384) and waits for the others' appends before a rotation.</dd>
 * <dt>The file, rotation and repair</dt>
 * <dd>{@code LogFileOutput} owns the open file: it learns from the shared state or the file system which file is at
 * the path, repairs what a dead writer left (an unfinished line, a failed write cut back), and rotates by size or by
 * time. A size rotation parks the file under a name of its own while appends are closed; the backups are shifted after
 * the locks are let go, under the lock on the backups, once for all files parked since. {@code BackupRotator} names,
 * parks, shifts and prunes backups; {@code BackupCompressor} compresses them in the background, crash-safely.</dd>
 * <dt>Threads</dt>
 * <dd>{@code DaemonThreads} starts the handler's own threads (flusher, compressor) without a context class
 * loader.</dd>
 * <dt>Monitoring</dt>
 * <dd>{@code LogFileStats} counts what this JVM does to each file, without a lock; {@code LogFileMonitor}, a
 * {@link dev.concurrentlog.LogFileMXBean}, shows it in the platform MBean server while a handler writes the file.</dd>
 * <dt>The storage checker</dt>
 * <dd>{@code StorageCheck} ({@code java -jar}: {@code check}, {@code serve}, {@code join}) starts
 * {@code StorageCheckWorker} processes, which run the checks with the primitives above ({@code StorageCheckHandlerRun}:
 * the real handler); {@code StorageCheckCoordinator} tells them what to do over a socket and judges, one
 * {@code CheckOutcome} per check; {@code MountInfo} names the file system; {@code ModuleClassPath} finds
 * jboss-logmanager in a WildFly install's modules. The test kit's verifier is in the jar.</dd>
 * </dl>
 * Lock order: a {@code FileAttachment}'s lock, then the in-JVM lock of the lock file, then the OS lock, then the lock on
 * the backups (which a shift keeps after letting go of the others, and never waits for another lock while it holds).
 */
package dev.concurrentlog;

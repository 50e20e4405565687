package dev.concurrentlog;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.concurrentlog.testkit.ParentLink;
import dev.concurrentlog.testkit.RecordFormat;

/**
 * A writer JVM for the multi-process tests. It is configured only through a jboss-logmanager
 * {@code logging.properties} (the parent passes {@code -Dlogging.configuration}), so it also proves that route. It
 * logs to the loggers {@code writer.h0}, {@code writer.h1}, ... (one handler instance each, all on the same file).
 * <p>
 * Arguments: writer id, threads, records per thread, number of loggers, and optionally a progress file. It tells the
 * parent {@code ready}, waits for its {@code go} so that all writers start together, writes, and exits 0 (or 3 if its
 * error manager saw a report): the line protocol of {@link dev.concurrentlog.testkit.ChildJvm}.
 * <p>
 * With a progress file, each thread stores in it, memory-mapped, how many of its publish calls have returned (a long
 * at offset 8 x thread), the longest any of them took after the first {@value #WARM_UP} (class loading, the file's
 * opening), in nanoseconds (a long at 8 x (threads + thread)), and how many of those took {@code writer.slowMillis} or
 * longer (a long at 8 x (2 x threads + thread)); the kernel keeps what was stored even if the JVM is killed. Records per thread -1 means: write until the parent says
 * {@code stop}.
 * <p>
 * System properties: {@code writer.pauseMicros}, a pause after each record (a steady, low rate for runs that last
 * minutes); {@code writer.timed=true}, records that carry the time they were logged ({@link RecordFormat#timedRecord});
 * {@code writer.clockSkewFile}, a file that holds, once the parent says {@code go}, milliseconds added to the time of
 * every record (in the record and its text), so that a run crosses a period boundary when the test wants it to.
 */
public final class WriterProcess {

    /** Payload length of the records the writers log. */
    static final int PAYLOAD = 60;
    /** How many publish calls of each thread the longest and the slow ones are not counted from. */
    static final int WARM_UP = 100;

    public static void main(String[] args) throws Exception {
        String writer = args[0];
        int threads = Integer.parseInt(args[1]);
        int records = Integer.parseInt(args[2]);
        int loggerCount = Integer.parseInt(args[3]);
        MappedByteBuffer progress = args.length > 4 ? mapProgress(Path.of(args[4]), threads) : null;
        Logger[] loggers = new Logger[loggerCount];
        for (int i = 0; i < loggerCount; i++) {
            loggers[i] = Logger.getLogger("writer.h" + i);
        }
        String expectedVersion = System.getProperty("expected.logmanager.version");
        String jar = org.jboss.logmanager.ExtHandler.class.getProtectionDomain().getCodeSource().getLocation().toString();
        if (expectedVersion != null && !jar.contains(expectedVersion)) {
            System.err.println("jboss-logmanager " + expectedVersion + " expected, loaded from " + jar);
            System.exit(4);
        }
        if (!(java.util.logging.LogManager.getLogManager() instanceof org.jboss.logmanager.LogManager)) {
            System.err.println("not running on jboss-logmanager: " + java.util.logging.LogManager.getLogManager());
            System.exit(5);
        }
        for (Logger logger : loggers) {
            // a configuration the log manager refused leaves the logger without the handler, and the writer silent
            if (Arrays.stream(logger.getHandlers()).noneMatch(h -> h instanceof ConcurrentRotatingFileHandler)) {
                System.err.println("logger " + logger.getName() + " has no ConcurrentRotatingFileHandler");
                System.exit(6);
            }
        }
        ParentLink.ready();
        ParentLink.await();
        AtomicBoolean stop = new AtomicBoolean();
        long pauseNanos = Long.getLong("writer.pauseMicros", 0) * 1000;
        boolean timed = Boolean.getBoolean("writer.timed");
        String skewFile = System.getProperty("writer.clockSkewFile");
        long skew = skewFile == null ? 0 : Long.parseLong(Files.readString(Path.of(skewFile)).trim());
        long slowNanos = Long.getLong("writer.slowMillis", Long.MAX_VALUE / 2_000_000) * 1_000_000;

        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Logger logger = loggers[thread % loggerCount];
                long longest = 0;
                long slow = 0;
                for (int sequence = 0; records < 0 ? !stop.get() : sequence < records; sequence++) {
                    long time = System.currentTimeMillis() + skew;
                    String text = timed ? RecordFormat.timedRecord(writer, thread, sequence, time)
                            : RecordFormat.record(writer, thread, sequence, PAYLOAD);
                    long publishing = System.nanoTime();
                    if (skew == 0) {
                        logger.info(text);
                    } else {
                        LogRecord record = new LogRecord(Level.INFO, text);
                        record.setInstant(java.time.Instant.ofEpochMilli(time));
                        record.setLoggerName(logger.getName());
                        logger.log(record);
                    }
                    long took = System.nanoTime() - publishing;
                    if (progress != null) {
                        progress.putLong(thread * Long.BYTES, sequence + 1L);
                        if (sequence >= WARM_UP && took > longest) {
                            longest = took;
                            progress.putLong((threads + thread) * Long.BYTES, longest);
                        }
                        if (sequence >= WARM_UP && took >= slowNanos) {
                            progress.putLong((2 * threads + thread) * Long.BYTES, ++slow);
                        }
                    }
                    if (pauseNanos > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                    }
                }
            }, "writer-" + t);
            worker.start();
            started.add(worker);
        }
        if (records < 0) {
            ParentLink.await();
            stop.set(true);
        }
        for (Thread worker : started) {
            worker.join();
        }
        for (Logger logger : loggers) {
            for (java.util.logging.Handler handler : logger.getHandlers()) {
                handler.close(); // as a server's stop does: buffered records written, backups compressed
            }
        }
        ParentLink.tell("done");
        System.exit(CountingErrorManager.count() == 0 ? 0 : 3);
    }

    private static MappedByteBuffer mapProgress(Path file, int threads) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 3L * threads * Long.BYTES);
        }
    }
}

package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A writer JVM for the multi-process tests. It is configured only through a jboss-logmanager
 * {@code logging.properties} (the parent passes {@code -Dlogging.configuration}), so it also proves that route. It
 * logs to the loggers {@code writer.h0}, {@code writer.h1}, ... (one handler instance each, all on the same file).
 * <p>
 * Arguments: writer id, threads, records per thread, number of loggers, and optionally a progress file. It prints
 * {@code ready}, waits for a line on standard input so that all writers start together, writes, and exits 0 (or 3 if
 * its error manager saw a report).
 * <p>
 * With a progress file, each thread stores in it, memory-mapped, how many of its publish calls have returned (a long
 * at offset 8 x thread); the kernel keeps what was stored even if the JVM is killed. Records per thread -1 means:
 * write until a second line arrives on standard input.
 * <p>
 * System properties: {@code writer.pauseMicros}, a pause after each record (a steady, low rate for runs that last
 * minutes); {@code writer.timed=true}, records that carry the time they were logged ({@link LogVerifier#timedRecord}).
 */
public final class WriterProcess {

    /** Payload length of the records the writers log. */
    static final int PAYLOAD = 60;

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
        System.out.println("ready");
        System.out.flush();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        input.readLine();
        AtomicBoolean stop = new AtomicBoolean();
        long pauseNanos = Long.getLong("writer.pauseMicros", 0) * 1000;
        boolean timed = Boolean.getBoolean("writer.timed");

        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Logger logger = loggers[thread % loggerCount];
                for (int sequence = 0; records < 0 ? !stop.get() : sequence < records; sequence++) {
                    logger.info(timed ? LogVerifier.timedRecord(writer, thread, sequence, System.currentTimeMillis())
                            : LogVerifier.record(writer, thread, sequence, PAYLOAD));
                    if (progress != null) {
                        progress.putLong(thread * Long.BYTES, sequence + 1L);
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
            input.readLine();
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
        System.out.println("done");
        System.exit(CountingErrorManager.count() == 0 ? 0 : 3);
    }

    private static MappedByteBuffer mapProgress(Path file, int threads) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) threads * Long.BYTES);
        }
    }
}

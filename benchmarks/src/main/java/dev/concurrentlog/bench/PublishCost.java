package dev.concurrentlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;

import dev.concurrentlog.ConcurrentRotatingFileHandler;
import dev.concurrentlog.testkit.RecordFormat;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.FileHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one {@code publish} on one thread, and what it allocates (run with the gc profiler, see
 * {@link JmhRunner}): this handler with autoFlush true and false, jboss-logmanager's FileHandler, and formatting
 * alone, which is what every handler pays before it writes. Each operation logs a new ~180-byte record, as a logger
 * would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PublishCost {

    /** The message of every record: the multi-process benchmark's record text. */
    private static final String MESSAGE = RecordFormat.record("jmh", 0, 0, BenchWriter.PAYLOAD);

    @Param({"CRH_AUTOFLUSH_TRUE", "CRH_AUTOFLUSH_FALSE", "JBOSS_FILE_HANDLER", "FORMAT_ONLY"})
    public String subject;

    private Path dir;
    private Handler handler;
    private PatternFormatter formatter;

    @Setup
    public void open() throws IOException {
        dir = Files.createTempDirectory("publish-cost");
        Path log = dir.resolve("bench.log");
        formatter = new PatternFormatter("%s%n");
        switch (subject) {
            case "CRH_AUTOFLUSH_TRUE", "CRH_AUTOFLUSH_FALSE" -> {
                ConcurrentRotatingFileHandler ours = new ConcurrentRotatingFileHandler(log.toString());
                ours.setRotateSize("10m");
                ours.setMaxBackupIndex(Writer.BACKUPS);
                ours.setAutoFlush(subject.equals("CRH_AUTOFLUSH_TRUE"));
                handler = ours;
            }
            case "JBOSS_FILE_HANDLER" -> {
                FileHandler theirs = new FileHandler();
                theirs.setAutoFlush(true);
                theirs.setAppend(true);
                theirs.setFileName(log.toString());
                handler = theirs;
            }
            case "FORMAT_ONLY" -> handler = null;
            default -> throw new IllegalArgumentException(subject);
        }
        if (handler != null) {
            handler.setFormatter(formatter);
        }
    }

    @Benchmark
    public void publish(Blackhole blackhole) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, MESSAGE, ExtLogRecord.FormatStyle.NO_FORMAT,
                PublishCost.class.getName());
        if (handler == null) {
            blackhole.consume(formatter.format(record));
        } else {
            handler.publish(record);
        }
    }

    @TearDown
    public void close() throws IOException {
        if (handler != null) {
            handler.close();
        }
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}

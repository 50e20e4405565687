package dev.concurrentlog;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.concurrentlog.testkit.ParentLink;
import dev.concurrentlog.testkit.RecordFormat;

/**
 * A JVM that writes one log through a handler and reads the handler's {@link LogFileMXBean} through the platform
 * MBean server, as jconsole would: the child of {@link LogFileMonitorIT}, and the parent's own writing too.
 * <p>
 * Arguments: log, writer id, threads, records per thread, and optionally {@code hold}: once written, say
 * {@code written} and wait for {@code stop} before closing. It says {@code ready}, waits for {@code go}, writes, then
 * prints {@code stats NAME=VALUE ...} read before the handler closes, {@code unregistered true|false} after, and
 * {@code done}; it exits 3 if its error manager saw a report.
 */
public final class MonitoredWriter {

    /** Payload letters of each record. */
    static final int PAYLOAD = 100;
    /** The counters the test compares. */
    static final List<String> COUNTERS = List.of("RecordsWritten", "BytesWritten", "LockedPathRecords",
            "RecordsWrittenUnderOsLock", "RotationsBySize", "RotationsByTime", "OsLockWaits", "OsLockWaitMicros",
            "OsLockLongestWaitMicros", "LockTimeoutEpisodes", "RecordsWrittenWithoutLock", "WriteFailures",
            "RecordsDropped", "CompressionsDone", "CompressionsFailed", "CompressionJobsWaiting", "Generation");

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        ConcurrentRotatingFileHandler handler = handler(log, new CountingErrorManager());
        ParentLink.ready();
        ParentLink.await();
        write(handler, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        if (args.length > 4 && args[4].equals("hold")) {
            ParentLink.tell("written"); // the handler stays open, and its MBean registered, until the parent's stop
            ParentLink.await();
        }
        Map<String, Object> stats = read(log);
        handler.close();
        StringBuilder line = new StringBuilder("stats");
        stats.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
        ParentLink.tell(line.toString());
        ParentLink.tell("unregistered " + !platform().isRegistered(LogFileMonitor.name(log)));
        ParentLink.tell("done");
        System.exit(CountingErrorManager.count() == 0 ? 0 : 3);
    }

    static ConcurrentRotatingFileHandler handler(Path log, ErrorManager errors) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler();
        handler.setErrorManager(errors);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + "\n";
            }
        });
        handler.setFileName(log.toString());
        handler.setRotateSize("64k");
        handler.setMaxBackupIndex(100_000);
        return handler;
    }

    /** Publishes {@code records} records from each of {@code threads} threads and waits for them. */
    static void write(ConcurrentRotatingFileHandler handler, String writer, int threads, int records)
            throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                for (int sequence = 0; sequence < records; sequence++) {
                    handler.publish(new LogRecord(Level.INFO, RecordFormat.record(writer, thread, sequence, PAYLOAD)));
                }
            }, writer + "-" + t);
            publisher.start();
            started.add(publisher);
        }
        for (Thread publisher : started) {
            publisher.join();
        }
    }

    /** The MBean's counters, read through the platform MBean server. */
    static Map<String, Object> read(Path log) throws Exception {
        AttributeList attributes = platform().getAttributes(LogFileMonitor.name(log), COUNTERS.toArray(String[]::new));
        Map<String, Object> values = new LinkedHashMap<>();
        for (Attribute attribute : attributes.asList()) {
            values.put(attribute.getName(), attribute.getValue());
        }
        return values;
    }

    /** The bytes {@code threads} x {@code records} records of {@code writer} take, each with its line break. */
    static long bytes(String writer, int threads, int records) {
        long bytes = 0;
        for (int t = 0; t < threads; t++) {
            for (int sequence = 0; sequence < records; sequence++) {
                bytes += RecordFormat.record(writer, t, sequence, PAYLOAD).length() + 1;
            }
        }
        return bytes;
    }

    static MBeanServer platform() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    static ObjectName name(Path log) throws Exception {
        return LogFileMonitor.name(log);
    }
}

package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;

/**
 * The {@link LogFileMXBean} during a run of three JVMs on one log rotating by size: this JVM reads its own MBean while
 * it writes, and each JVM's counters at the end match what the test kit's verifier finds: its records, their bytes,
 * and, added up over the JVMs, the size rotations (one backup each). The MBean goes once the handler closes.
 */
class LogFileMonitorIT {

    private static final int THREADS = 2;
    private static final int RECORDS = 10_000;

    @TempDir
    Path dir;

    @Test
    void countersMatchWhatTheVerifierFinds() throws Exception {
        Path log = dir.resolve("monitored.log");
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = MonitoredWriter.handler(log, errors);
        List<ChildJvm.Running> children = new ArrayList<>();
        Map<String, Map<String, Long>> stats = new HashMap<>();
        List<Long> readings = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            for (String writer : List.of("c1", "c2")) {
                children.add(ChildJvm.of(MonitoredWriter.class).named(writer).stderrTo(dir.resolve(writer + ".err"))
                        .args(log.toString(), writer, String.valueOf(THREADS), String.valueOf(RECORDS)).start());
            }
            for (ChildJvm.Running child : children) {
                child.awaitReady();
            }
            handler.publish(new java.util.logging.LogRecord(java.util.logging.Level.INFO,
                    dev.concurrentlog.testkit.RecordFormat.record("p", THREADS, 0, MonitoredWriter.PAYLOAD)));
            Thread reader = new Thread(() -> {
                try {
                    while (writing.get()) {
                        readings.add((Long) MonitoredWriter.platform().getAttribute(MonitoredWriter.name(log),
                                "RecordsWritten"));
                        Thread.onSpinWait();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "mbean-reader");
            reader.start();
            for (ChildJvm.Running child : children) {
                child.go();
            }
            MonitoredWriter.write(handler, "p", THREADS, RECORDS);
            writing.set(false);
            reader.join();
            stats.put("p", longs(MonitoredWriter.read(log)));
            for (ChildJvm.Running child : children) {
                List<String> lines = child.awaitLine("done");
                stats.put(child.name(), parse(lines));
                assertTrue(lines.contains("unregistered true"), child.name() + ": " + lines);
                child.awaitSuccess(Duration.ofMinutes(1));
            }
        } finally {
            writing.set(false);
            handler.close();
            children.forEach(ChildJvm.Running::close);
        }
        assertFalse(MonitoredWriter.platform().isRegistered(MonitoredWriter.name(log)),
                "the MBean goes with the last handler");
        errors.assertNoUnexpected();

        List<Path> files = LogFiles.oldestFirst(log);
        LogCheck.Result verified = new LogCheck().expectWriter("p", THREADS, RECORDS).expect("p T" + THREADS, 1)
                .expectWriter("c1", THREADS, RECORDS).expectWriter("c2", THREADS, RECORDS).check(files).assertOk();
        System.out.println("counters per JVM: " + stats + "; backups " + (files.size() - 1) + "; " + readings.size()
                + " readings during the run");

        long rotations = 0;
        for (Map.Entry<String, Map<String, Long>> jvm : stats.entrySet()) {
            String writer = jvm.getKey();
            Map<String, Long> counters = jvm.getValue();
            long records = 0;
            for (Map.Entry<String, Long> found : verified.records().entrySet()) {
                records += found.getKey().startsWith(writer + " T") ? found.getValue() : 0;
            }
            long extra = writer.equals("p") ? 1 : 0; // the first record, which attached the handler
            assertEquals(records, counters.get("RecordsWritten"), writer + " " + counters);
            assertEquals(THREADS * RECORDS + extra, records, writer);
            assertEquals(MonitoredWriter.bytes(writer, THREADS, RECORDS) + (extra == 0 ? 0
                    : dev.concurrentlog.testkit.RecordFormat.record("p", THREADS, 0, MonitoredWriter.PAYLOAD).length()
                    + 1), counters.get("BytesWritten"), writer + " " + counters);
            assertTrue(counters.get("LockedPathRecords") <= records, writer + " " + counters);
            assertTrue(counters.get("RecordsWrittenUnderOsLock") <= counters.get("LockedPathRecords"),
                    writer + " " + counters);
            assertTrue(counters.get("OsLockWaits") >= counters.get("RotationsBySize"), writer + " " + counters);
            for (String zero : List.of("RotationsByTime", "LockTimeoutEpisodes", "RecordsWrittenWithoutLock",
                    "WriteFailures", "RecordsDropped", "CompressionsDone", "CompressionsFailed",
                    "CompressionJobsWaiting")) {
                assertEquals(0, counters.get(zero), writer + " " + zero);
            }
            assertTrue(counters.get("Generation") > 0, writer + " " + counters);
            rotations += counters.get("RotationsBySize");
        }
        assertEquals(files.size() - 1, rotations, "every backup is one size rotation of one JVM");
        assertTrue(rotations > 10, "the run rotated: " + rotations);

        long last = readings.get(readings.size() - 1);
        assertTrue(readings.stream().anyMatch(r -> r > 1 && r < THREADS * RECORDS), "read while writing: " + readings.size());
        for (int i = 1; i < readings.size(); i++) {
            assertTrue(readings.get(i) >= readings.get(i - 1), "RecordsWritten never goes back");
        }
        assertTrue(last <= stats.get("p").get("RecordsWritten"));
    }

    private static Map<String, Long> longs(Map<String, Object> values) {
        Map<String, Long> longs = new HashMap<>();
        values.forEach((name, value) -> longs.put(name, (Long) value));
        return longs;
    }

    private static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> counters = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("stats ")) {
                for (String pair : line.substring(6).split(" ")) {
                    int equals = pair.indexOf('=');
                    counters.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
                }
            }
        }
        return counters;
    }
}

package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;

/** The LogFile MBean of one JVM: one per file whatever the handlers, compressions counted, gone with the last one. */
class LogFileMonitorTest {

    @TempDir
    Path dir;

    @Test
    void oneMBeanPerFileCountsCompressionsAndGoesWithTheLastHandler() throws Exception {
        Path log = dir.resolve("compressed.log");
        MBeanServer server = MonitoredWriter.platform();
        ObjectName name = LogFileMonitor.name(log);
        assertEquals("dev.concurrentlog:type=LogFile,path=\"" + log.toAbsolutePath() + "\"", name.toString());
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler first = MonitoredWriter.handler(log, errors);
        ConcurrentRotatingFileHandler second = MonitoredWriter.handler(log, errors);
        first.setSuffix(".gz");
        second.setSuffix(".gz");
        first.setRotateSize("16k");
        second.setRotateSize("16k");
        assertFalse(server.isRegistered(name), "nothing written yet");
        MonitoredWriter.write(first, "a", 2, 500);
        MonitoredWriter.write(second, "b", 1, 500);
        assertTrue(server.isRegistered(name));
        assertEquals(1, server.queryNames(new ObjectName("dev.concurrentlog:type=LogFile,*"), null).stream()
                .filter(found -> found.equals(name)).count());
        assertEquals(1_500L, server.getAttribute(name, "RecordsWritten"));

        // the compressor runs on its own thread: wait until nothing is queued, then count the .gz files
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((Long) server.getAttribute(name, "CompressionJobsWaiting") > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0L, server.getAttribute(name, "CompressionJobsWaiting"));
        long compressed;
        try (Stream<Path> files = Files.list(dir)) {
            compressed = files.filter(file -> file.getFileName().toString().endsWith(".gz")).count();
        }
        assertTrue(compressed > 5, "rotated and compressed: " + compressed);
        assertEquals(compressed, server.getAttribute(name, "CompressionsDone"));
        assertEquals(compressed, server.getAttribute(name, "RotationsBySize"));
        assertEquals(0L, server.getAttribute(name, "CompressionsFailed"));
        assertEquals("", server.getAttribute(name, "LastError"));

        first.close();
        assertTrue(server.isRegistered(name), "another handler still writes the file");
        second.close();
        assertFalse(server.isRegistered(name), "gone with the last handler");
        errors.assertNoUnexpected();
        List<Path> files = LogFiles.oldestFirst(log);
        new LogCheck().expectWriter("a", 2, 500).expectWriter("b", 1, 500).check(files).assertOk();
    }

    @Test
    void theLastErrorReportedForTheFileIsShownWithItsTime() throws Exception {
        Path log = dir.resolve("obstructed.log");
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = MonitoredWriter.handler(log, errors);
        handler.setRotateSize("1k");
        handler.setMaxBackupIndex(2);
        Path obstacle = BackupRotator.backup(log, 1);
        Files.createDirectories(obstacle.resolve("inside")); // the shift of the backups is refused
        long before = System.currentTimeMillis();
        try {
            MonitoredWriter.write(handler, "w", 1, 100);
            MBeanServer server = MonitoredWriter.platform();
            ObjectName name = LogFileMonitor.name(log);
            List<RecordingErrorManager.Report> reports = errors.takeAll(java.util.logging.ErrorManager.GENERIC_FAILURE);
            assertEquals(1, reports.size(), reports.toString());
            assertEquals(reports.get(0).message(), server.getAttribute(name, "LastError"));
            long at = (Long) server.getAttribute(name, "LastErrorEpochMillis");
            assertTrue(at >= before && at <= System.currentTimeMillis(), "when: " + at);
            assertEquals(java.time.Instant.ofEpochMilli(at).toString(), server.getAttribute(name, "LastErrorTime"));
        } finally {
            handler.close();
        }
        errors.takeAll(java.util.logging.ErrorManager.GENERIC_FAILURE); // the close's own shift meets it again
        errors.assertNoUnexpected();
    }
}

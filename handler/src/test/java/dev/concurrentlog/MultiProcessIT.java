package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import dev.concurrentlog.testkit.SizeRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs writing one file through the handler, configured by logging.properties: every record appears exactly once,
 * intact, in per-thread order, and every file obeys the size rule.
 */
class MultiProcessIT {

    private static final int BACKUPS = 10_000;
    private static final long ROTATE_SIZE = 64 * 1024;
    /** The longest test record with its newline: writer, thread and sequence numbers, 60 characters, CRC. */
    private static final int MAX_RECORD = 100;

    @TempDir
    Path dir;

    @Test
    void fourJvmsOfFourThreadsShareOneRotatingFile() throws Exception {
        Path log = dir.resolve("shared.log");
        Map<String, Long> expected = writers(log).run(4, 4, 2_500, 1);
        verify(log, expected);
    }

    // two instances per JVM; ConcurrentRotatingFileHandlerTest.twoHandlersAndManyThreadsShareOneFile: in one JVM
    @Test
    void fourJvmsWithTwoHandlerInstancesEachShareOneRotatingFile() throws Exception {
        Path log = dir.resolve("shared.log");
        Map<String, Long> expected = writers(log).run(4, 4, 2_500, 2);
        verify(log, expected);
    }

    @Test
    void fourJvmsWithBufferedRecordsShareOneRotatingFile() throws Exception {
        Path log = dir.resolve("shared.log");
        Map<String, Long> expected = writers(log).property("autoFlush", "false").run(4, 4, 2_500, 2);
        verify(log, expected);
    }

    @Test
    void fourJvmsCompressingTheirBackupsAtManyRotationsASecondLoseNothing() throws Exception {
        Path log = dir.resolve("shared.log");
        Map<String, Long> expected = writers(log).property("suffix", ".gz").run(4, 4, 10_000, 1);
        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 100, "the test must rotate many times: " + files.size() + " files");
        LogCheck.verify(files, expected);
        try (var listing = Files.list(dir)) {
            List<String> left = listing.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("shared.log.") && !name.endsWith(".gz")
                            || name.startsWith(".shared.log") && name.endsWith(".tmp")).toList();
            assertEquals(List.of(), left, "raw backups or temporary files left once every writer closed");
        }
    }

    // across JVMs; ConcurrentRotatingFileHandlerTest.rotateOnBootRotatesOnceWhenTheGroupStarts: within one JVM
    @Test
    void rotateOnBootRotatesOnlyWhenNoOtherProcessHasTheFileOpen() throws Exception {
        Path log = dir.resolve("boot.log");
        Files.writeString(log, RecordFormat.record("old", 0, 0, 60) + "\n");
        WriterJvms writers = writers(log).property("rotateOnBoot", "true");

        // This JVM has the file open: a writer starting now joins a running group and must not rotate.
        ConcurrentRotatingFileHandler present = presentHandler(log);
        present.publish(new LogRecord(Level.INFO, RecordFormat.record("old", 0, 1, 60)));
        writers.run(1, 1, 10, 1);
        assertFalse(Files.exists(BackupRotator.backup(log, 1)), "rotated although another process had the file open");
        present.close();

        // Nobody has it open now: the next writer starts a new group and rotates once.
        writers.run(1, 1, 10, 1);
        assertTrue(Files.exists(BackupRotator.backup(log, 1)), "not rotated at the start of a new group");
        assertEquals(12, Files.readAllLines(BackupRotator.backup(log, 1)).size());
        assertEquals(10, Files.readAllLines(log).size());
    }

    // across JVMs; ConcurrentRotatingFileHandlerTest.appendFalseEmptiesTheFileOnlyWhenTheGroupStarts: within one JVM
    @Test
    void appendFalseEmptiesTheFileOnlyWhenNoOtherProcessHasItOpen() throws Exception {
        Path log = dir.resolve("append.log");
        WriterJvms writers = writers(log).property("append", "false");
        ConcurrentRotatingFileHandler present = presentHandler(log);
        present.publish(new LogRecord(Level.INFO, RecordFormat.record("present", 0, 0, 60)));

        writers.run(1, 1, 10, 1);
        assertEquals(11, Files.readAllLines(log).size(), "a process joining a running group must not empty the file");
        present.close();

        writers.run(1, 1, 10, 1);
        assertEquals(10, Files.readAllLines(log).size(), "the first process of a new group empties the file");
    }

    private static ConcurrentRotatingFileHandler presentHandler(Path log) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler(log.toString());
        handler.setErrorManager(new ErrorManager() {
            @Override
            public synchronized void error(String msg, Exception ex, int code) {
                throw new AssertionError("unexpected error report " + code + ": " + msg, ex);
            }
        });
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        return handler;
    }

    private WriterJvms writers(Path log) {
        return new WriterJvms(dir, log)
                .property("rotateSize", Long.toString(ROTATE_SIZE))
                .property("maxBackupIndex", Integer.toString(BACKUPS));
    }

    private static void verify(Path log, Map<String, Long> expected) throws Exception {
        var files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 20, "the test must rotate many times: " + files.size() + " files");
        LogCheck.verify(files, expected);
        SizeRule.verify(log, ROTATE_SIZE, MAX_RECORD);
    }
}

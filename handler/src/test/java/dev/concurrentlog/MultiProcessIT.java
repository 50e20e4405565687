package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

    @Test
    void fourJvmsWithTwoHandlerInstancesEachShareOneRotatingFile() throws Exception {
        Path log = dir.resolve("shared.log");
        Map<String, Long> expected = writers(log).run(4, 4, 2_500, 2);
        verify(log, expected);
    }

    @Test
    void rotateOnBootRotatesOnlyWhenNoOtherProcessHasTheFileOpen() throws Exception {
        Path log = dir.resolve("boot.log");
        Files.writeString(log, LogVerifier.record("old", 0, 0, 60) + "\n");
        WriterJvms writers = writers(log).property("rotateOnBoot", "true");

        // This JVM has the file open: a writer starting now joins a running group and must not rotate.
        ConcurrentRotatingFileHandler present = new ConcurrentRotatingFileHandler(log.toString());
        RecordingErrorManager errors = new RecordingErrorManager();
        present.setErrorManager(errors);
        present.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        present.publish(new java.util.logging.LogRecord(java.util.logging.Level.INFO,
                LogVerifier.record("old", 0, 1, 60)));
        writers.run(1, 1, 10, 1);
        assertFalse(Files.exists(BackupRotator.backup(log, 1)), "rotated although another process had the file open");
        present.close();
        errors.assertNoUnexpected();

        // Nobody has it open now: the next writer starts a new group and rotates once.
        writers.run(1, 1, 10, 1);
        assertTrue(Files.exists(BackupRotator.backup(log, 1)), "not rotated at the start of a new group");
        assertEquals(12, Files.readAllLines(BackupRotator.backup(log, 1)).size());
        assertEquals(10, Files.readAllLines(log).size());
    }

    private WriterJvms writers(Path log) {
        return new WriterJvms(dir, log)
                .property("rotateSize", Long.toString(ROTATE_SIZE))
                .property("maxBackupIndex", Integer.toString(BACKUPS));
    }

    private static void verify(Path log, Map<String, Long> expected) throws Exception {
        var files = LogVerifier.filesOldestFirst(log, BACKUPS);
        assertTrue(files.size() > 20, "the test must rotate many times: " + files.size() + " files");
        LogVerifier.verify(files, expected);
        LogVerifier.verifySizes(log, BACKUPS, ROTATE_SIZE, MAX_RECORD);
    }
}

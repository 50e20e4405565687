package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotations the file system refuses: records stay in the current file (the move is refused) or in parked files (the
 * shift is refused), and rotation resumes once it may.
 */
class RefusedRotationTest {

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private ConcurrentRotatingFileHandler handler;
    private final Timings timings = new Timings();

    @AfterEach
    void closeAndCheckReports() {
        if (handler != null) {
            handler.close();
        }
        errors.assertNoUnexpected();
    }

    private ConcurrentRotatingFileHandler handler(Path log) {
        handler = TestHandlers.create(log, errors, timings);
        return handler;
    }

    private static void writeRecords(ConcurrentRotatingFileHandler handler, String writer, int from, int to) {
        TestHandlers.writeRecords(handler, writer, 0, from, to);
    }

    // the file is still parked at each rotateSize; the shift waits for the obstacle, then catches up in one pass
    @Test
    void refusedShiftKeepsFilesParkedAndResumesLater() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "1k", 2);
        Path obstacle = BackupRotator.backup(log, 1);
        Files.createDirectories(obstacle.resolve("inside"));

        writeRecords(handler, "w", 0, 100);
        assertTrue(Files.isDirectory(obstacle), "the obstacle was not moved");
        List<Path> files = LogFiles.oldestFirst(log);
        files.remove(obstacle);
        assertTrue(files.size() > 3, "files parked beside the log: " + files);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 1024, file + " is larger than rotateSize");
        }
        LogCheck.verify(files, Map.of("w T0", 100L));
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), "reported once until a shift succeeds: " + reports);
        assertTrue(reports.get(0).message().contains(obstacle.toString()), reports.get(0).message());

        Files.delete(obstacle.resolve("inside"));
        Files.delete(obstacle);
        timings.rotationRetryNanos = 0; // the next rotation shifts, without the pause after a failed shift
        writeRecords(handler, "w", 100, 120);
        assertEquals(List.of(BackupRotator.backup(log, 2), obstacle, log), LogFiles.oldestFirst(log),
                "shifted once the obstacle is gone, the parked files past maxBackupIndex deleted");
        assertTrue(Files.isRegularFile(obstacle), "rotation resumed");
    }

    // with a time suffix too: the obstacle stops only the shift, reported once; the time rotation goes on, and so do
    // the size rotations, parked
    @Test
    void obstacleInASizeSlotStopsOnlyTheShiftWithATimeSuffix() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setTimeZone("UTC");
        handler.setSuffix(".yyyy-MM-dd");
        TestHandlers.rotateAt(handler, "1k", 5);
        Path obstacle = log.resolveSibling("app.log.2026-11-25.2");
        Files.createDirectories(obstacle.resolve("inside"));
        timings.rotationRetryNanos = 0; // every rotation tries the shift again, without a pause

        for (int sequence = 0; sequence < 80; sequence++) {
            LogRecord record = new LogRecord(Level.INFO, RecordFormat.record("w", 0, sequence, 40));
            record.setInstant(Instant.parse(sequence < 40 ? "2026-11-25T12:00:00Z" : "2026-11-26T12:00:00Z"));
            handler.publish(record);
        }
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), "reported once until a shift succeeds: " + reports);
        assertTrue(reports.get(0).message().contains(obstacle.toString()), reports.get(0).message());
        assertTrue(Files.isRegularFile(log.resolveSibling("app.log.2026-11-25")), "not rotated by time");
        List<Path> files = LogFiles.oldestFirst(log, "2026-11-25".length());
        files.remove(obstacle);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 1024, file + " is larger than rotateSize");
        }
        assertTrue(files.size() >= 5, "size rotations stopped: " + files);
        assertTrue(Files.isRegularFile(log.resolveSibling("app.log.2026-11-26.1")), "the next day's chain waits: " + files);
        LogCheck.verify(files, Map.of("w T0", 80L));
    }

    @Test
    void directoryWithoutWritePermissionKeepsRecordsInTheCurrentFileUntilItMayBeWrittenAgain() throws IOException {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path log = logs.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "1k", 2);
        writeRecords(handler, "w", 0, 5);
        try (Unwritable ignored = Unwritable.make(logs)) {
            writeRecords(handler, "w", 5, 100);
            assertTrue(Files.size(log) > 1024, "records stay in the current file");
            assertFalse(Files.exists(BackupRotator.backup(log, 1)), "nothing was renamed");
            List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
            assertFalse(reports.isEmpty(), "the refused rotation is reported");
            assertTrue(reports.get(0).message().contains(log.toString()), reports.get(0).message());
        }
        timings.rotationRetryNanos = 0;
        writeRecords(handler, "w", 100, 101);
        assertTrue(Files.isRegularFile(BackupRotator.backup(log, 1)), "rotation resumed");
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("w T0", 101L));
    }
}

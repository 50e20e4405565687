package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
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
        writeRecords(handler, "w", 100, 120);
        assertEquals(List.of(BackupRotator.backup(log, 2), obstacle, log), LogFiles.oldestFirst(log),
                "shifted once the obstacle is gone, the parked files past maxBackupIndex deleted");
        assertTrue(Files.isRegularFile(obstacle), "rotation resumed");
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

package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Planted symbolic links, permissions from the first moment, files removed by outside tools, and unfinished lines left
 * by dead writers.
 */
class FileSafetyTest {

    private static final String VICTIM_TEXT = "precious, not the handler's\n";
    private static final Set<Integer> FILE_PROBLEMS =
            Set.of(ErrorManager.WRITE_FAILURE, ErrorManager.OPEN_FAILURE, ErrorManager.GENERIC_FAILURE);

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private ConcurrentRotatingFileHandler handler;
    private final Timings timings = new Timings();
    private Path victim;

    @AfterEach
    void closeAndCheckReports() throws IOException {
        if (handler != null) {
            handler.close();
        }
        errors.assertNoUnexpected();
        if (victim != null) {
            assertEquals(VICTIM_TEXT, Files.readString(victim), "the target of a planted link was changed");
        }
    }

    private ConcurrentRotatingFileHandler handler(Path log) {
        handler = TestHandlers.create(log, errors, timings);
        return handler;
    }

    private void log(String message) {
        handler.publish(new LogRecord(Level.INFO, message));
    }

    private Path plantLink(Path at) throws IOException {
        victim = dir.resolve("victim");
        if (!Files.exists(victim)) {
            Files.writeString(victim, VICTIM_TEXT);
        }
        return Files.createSymbolicLink(at, victim);
    }

    private List<RecordingErrorManager.Report> takeFileProblems() {
        List<RecordingErrorManager.Report> all = new CopyOnWriteArrayList<>();
        for (int code : FILE_PROBLEMS) {
            all.addAll(errors.takeAll(code));
        }
        return all;
    }

    /**
     * A server that starts while the others rotate the log: the file may be renamed away between any two looks at
     * it, and a valid fileName must still be accepted (it once was refused as "not a regular file", and that server
     * wrote nothing at all).
     */
    @Test
    void fileNameIsAcceptedWhileAnotherProcessRotatesTheFile() throws Exception {
        Path log = dir.resolve("busy.log");
        Path backup = BackupRotator.backup(log, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread rotator = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.write(log, new byte[] {'x', '\n'});
                    Files.move(log, backup, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        rotator.start();
        int refused = 0;
        String firstRefusal = null;
        try {
            for (int i = 0; i < 50_000; i++) {
                try {
                    new ConcurrentRotatingFileHandler().setFileName(log.toString());
                } catch (IllegalArgumentException e) {
                    refused++;
                    firstRefusal = firstRefusal == null ? e.getMessage() : firstRefusal;
                }
            }
        } finally {
            stop.set(true);
            rotator.join();
        }
        assertEquals(0, refused, "refused " + refused + " times, first: " + firstRefusal);
    }

    @Test
    void linkPlantedAtTheLogIsNeverFollowedAndLoggingResumesOnceItIsGone() throws IOException {
        Path log = dir.resolve("app.log");
        handler(log);
        plantLink(log);
        log("refused");
        List<RecordingErrorManager.Report> reports = takeFileProblems();
        assertFalse(reports.isEmpty());
        assertTrue(reports.get(0).message().contains(log.toString()), reports.get(0).message());
        assertTrue(Files.isSymbolicLink(log), "the link is left alone");
        Files.delete(log);
        log("written");
        assertEquals("written\n", Files.readString(log));
    }

    @Test
    void logReplacedByALinkWhileWritingIsNeverFollowed() throws IOException {
        timings.identityCheckNanos = 0; // every write compares the file at the path with the open one
        Path log = dir.resolve("app.log");
        handler(log);
        log("one");
        Files.delete(log);
        plantLink(log);
        log("refused");
        assertFalse(takeFileProblems().isEmpty());
        assertTrue(Files.isSymbolicLink(log));
    }

    @Test
    void linkPlantedAtTheLockFileIsNeverFollowed() throws IOException {
        Path log = dir.resolve("app.log");
        handler(log);
        plantLink(dir.resolve(".app.log.lock"));
        log("refused");
        assertFalse(takeFileProblems().isEmpty());
    }

    @Test
    void appendFalseNeverTruncatesThroughALink() throws IOException {
        Path log = dir.resolve("app.log");
        handler(log).setAppend(false);
        plantLink(log);
        log("refused");
        assertFalse(takeFileProblems().isEmpty());
    }

    // the file still rotates (parked, within rotateSize), but no backup moves past the link, and nothing is lost
    @Test
    void linkInABackupSlotStopsTheShiftAndIsNeverFollowed() throws IOException {
        Path log = dir.resolve("app.log");
        handler(log).setRotateSize("1k");
        handler.setMaxBackupIndex(3);
        plantLink(BackupRotator.backup(log, 1));
        for (int sequence = 0; sequence < 50; sequence++) {
            log(RecordFormat.record("w", 0, sequence, 40));
        }
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), "reported once until a shift succeeds: " + reports);
        assertTrue(reports.get(0).message().contains("symbolic link"), reports.get(0).message());
        assertTrue(Files.isSymbolicLink(BackupRotator.backup(log, 1)));
        assertFalse(Files.exists(BackupRotator.backup(log, 2), LinkOption.NOFOLLOW_LINKS));
        List<Path> files = new ArrayList<>(LogFiles.oldestFirst(log));
        files.removeIf(Files::isSymbolicLink);
        assertTrue(files.size() > 3, "parked files beside the log: " + files);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 1024, file + " is larger than rotateSize");
        }
        LogCheck.verify(files, Map.of("w T0", 50L));

        Files.delete(BackupRotator.backup(log, 1));
        timings.rotationRetryNanos = 0; // the next rotation shifts, without the pause after a failed shift
        for (int sequence = 50; sequence < 70; sequence++) {
            log(RecordFormat.record("w", 0, sequence, 40));
        }
        assertEquals(List.of(BackupRotator.backup(log, 3), BackupRotator.backup(log, 2), BackupRotator.backup(log, 1),
                log), LogFiles.oldestFirst(log), "shifted once the link is gone, the oldest past maxBackupIndex deleted");
    }

    @Test
    void linkFlippedInAndOutOfTheLogPathWhileWritingNeverReachesItsTarget() throws Exception {
        Path log = dir.resolve("app.log");
        handler(log);
        log("first");
        Path staged = plantLink(dir.resolve("staged-link"));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread attacker = new Thread(() -> {
            Path aside = dir.resolve("aside");
            for (int flip = 0; flip < 20_000 && writing.get(); flip++) {
                try {
                    // swap the log for the link, then put the real file back, atomically each time
                    Files.move(log, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(staged, log, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(log, staged, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(aside, log, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // the handler recreated the log meanwhile: start over from what is there
                    try {
                        if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                            Files.delete(aside);
                        }
                    } catch (IOException ignored) {
                        // next round
                    }
                }
            }
        });
        attacker.start();
        for (int sequence = 0; sequence < 3000; sequence++) {
            log(RecordFormat.record("w", 0, sequence, 40));
        }
        writing.set(false);
        attacker.join();
        takeFileProblems();
    }

    @Test
    void everyFileExistsOnlyWithTheConfiguredPermissions() throws Exception {
        Path log = dir.resolve("app.log");
        handler(log).setFilePermissions("rw-------");
        TestHandlers.rotateAt(handler, "1k", 1000);
        Set<PosixFilePermission> wanted = PosixFilePermissions.fromString("rw-------");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (writing.get()) {
                try {
                    Set<PosixFilePermission> now = Files.getPosixFilePermissions(log, LinkOption.NOFOLLOW_LINKS);
                    if (!wanted.containsAll(now)) {
                        seen.add(PosixFilePermissions.toString(now));
                    }
                } catch (NoSuchFileException e) {
                    // between rotation and creation
                } catch (IOException e) {
                    seen.add(e.toString());
                }
            }
        });
        watcher.start();
        for (int sequence = 0; sequence < 2000; sequence++) {
            log(RecordFormat.record("w", 0, sequence, 40));
        }
        writing.set(false);
        watcher.join();
        assertEquals(List.of(), seen, "permissions wider than rw------- were seen");
        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 100, files.size() + " files");
        for (Path file : files) {
            assertEquals(wanted, Files.getPosixFilePermissions(file), file.toString());
        }
        assertEquals(wanted, Files.getPosixFilePermissions(dir.resolve(".app.log.lock")));
    }

    @Test
    void logDeletedOrMovedByAnOutsideToolIsRecreatedWithItsPermissions() throws IOException {
        timings.identityCheckNanos = 0; // every write compares the file at the path with the open one
        Path log = dir.resolve("app.log");
        handler(log).setFilePermissions("rw-r-----");
        log("one");
        Files.delete(log);
        log("two");
        assertEquals("two\n", Files.readString(log));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(log));
        Files.move(log, dir.resolve("app.log.old"));
        log("three");
        assertEquals("two\n", Files.readString(dir.resolve("app.log.old")));
        assertEquals("three\n", Files.readString(log));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(log));
    }

    @Test
    void unfinishedLineLeftByADeadWriterIsEndedBeforeTheNextRecord() throws IOException {
        Path log = dir.resolve("app.log");
        handler(log);
        log("one");
        // what a writer killed part way through its write leaves: a fragment, and the end in the shared state unknown
        try (FileChannel lock = FileChannel.open(dir.resolve(".app.log.lock"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            LockFileState.map(lock).endUnknown();
        }
        Files.write(log, "half-writ".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        log("two");
        log("three");
        assertEquals("one\nhalf-writ\ntwo\nthree\n", Files.readString(log));
    }
}

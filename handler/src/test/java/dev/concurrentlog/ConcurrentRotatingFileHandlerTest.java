package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import dev.concurrentlog.testkit.SizeRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentRotatingFileHandlerTest {

    /** Formats a record as its message and a newline, so files hold exactly what the tests wrote. */
    static final class MessageFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            return record.getMessage() + "\n";
        }
    }

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private final List<ConcurrentRotatingFileHandler> handlers = new ArrayList<>();
    private final Timings timings = new Timings();

    @AfterEach
    void closeHandlersAndCheckReports() {
        handlers.forEach(ConcurrentRotatingFileHandler::close);
        errors.assertNoUnexpected();
    }

    private ConcurrentRotatingFileHandler handler(Path log) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler(timings);
        handler.setErrorManager(errors);
        handler.setFormatter(new MessageFormatter());
        handler.setFileName(log.toString());
        handlers.add(handler);
        return handler;
    }

    private static void log(ConcurrentRotatingFileHandler handler, String message) {
        handler.publish(new LogRecord(Level.INFO, message));
    }

    private static void writeRecords(ConcurrentRotatingFileHandler handler, String writer, int thread, int count) {
        TestHandlers.writeRecords(handler, writer, thread, 0, count);
    }

    // ---- properties and their defaults

    @Test
    void defaultsMatchWildFlyHandlers() {
        ConcurrentRotatingFileHandler handler = handler(dir.resolve("app.log"));
        assertTrue(handler.isAppend());
        assertTrue(handler.isAutoFlush());
        assertFalse(handler.isRotateOnBoot());
        assertEquals("10m", handler.getRotateSize());
        assertEquals(10L * 1024 * 1024, handler.getRotateSizeBytes());
        assertEquals(1, handler.getMaxBackupIndex());
        assertNull(handler.getFilePermissions());
        assertEquals(dir.resolve(".app.log.lock").toString(), handler.getLockFile());
        assertEquals(dir.resolve("app.log").toString(), handler.getFileName());
    }

    @Test
    void createsMissingParentDirectories() {
        Path log = dir.resolve("a/b/c/app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        log(handler, "hello");
        assertTrue(Files.isRegularFile(log));
    }

    @Test
    void badValuesAreRefusedNamingPropertyAndValueAndChangeNothing() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(dir.resolve("app.log"));
        handler.setRotateSize("512k");
        handler.setMaxBackupIndex(3);
        Files.createDirectory(dir.resolve("adir"));

        assertRefused("rotateSize", "-1", () -> handler.setRotateSize("-1"));
        assertRefused("rotateSize", "10x", () -> handler.setRotateSize("10x"));
        assertRefused("rotateSize", "", () -> handler.setRotateSize(""));
        assertRefused("maxBackupIndex", "-2", () -> handler.setMaxBackupIndex(-2));
        assertRefused("fileName", dir.resolve("adir").toString(), () -> handler.setFileName(dir.resolve("adir").toString()));
        assertRefused("fileName", "", () -> handler.setFileName(""));
        assertRefused("lockFile", dir.resolve("app.log").toString(),
                () -> handler.setLockFile(dir.resolve("app.log").toString()));
        assertRefused("filePermissions", "rwx", () -> handler.setFilePermissions("rwx"));
        assertRefused("filePermissions", "r--r--r--", () -> handler.setFilePermissions("r--r--r--"));
        assertThrows(java.io.UnsupportedEncodingException.class, () -> handler.setEncoding("no-such-charset"));

        assertEquals("512k", handler.getRotateSize());
        assertEquals(512 * 1024, handler.getRotateSizeBytes());
        assertEquals(3, handler.getMaxBackupIndex());
        assertEquals(dir.resolve("app.log").toString(), handler.getFileName());
        assertEquals(dir.resolve(".app.log.lock").toString(), handler.getLockFile());
        assertNull(handler.getFilePermissions());
        log(handler, "still logging");
        assertEquals("still logging\n", Files.readString(dir.resolve("app.log")));
    }

    private static void assertRefused(String property, String value, Runnable setter) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setter::run);
        assertTrue(e.getMessage().contains("\"" + property + "\"") && e.getMessage().contains("\"" + value + "\""),
                e.getMessage());
    }

    // ---- writing and rotating

    @Test
    void writesRecordsWholeAndKeepsTheLockFile() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "1k", 50);
        writeRecords(handler, "w", 0, 200);
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("w T0", 200L));
        SizeRule.verify(log, 1024, 80);
        assertTrue(Files.isRegularFile(dir.resolve(".app.log.lock")), "lock file stays");
        assertTrue(Files.exists(BackupRotator.backup(log, 1)));
    }

    @Test
    void keepsMaxBackupIndexBackupsNewestFirstAndDeletesTheOldest() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "1000", 3);
        int recordsPerFile = 1000 / (RecordFormat.record("w", 0, 0, 40).length() + 1);
        writeRecords(handler, "w", 0, recordsPerFile * 10);

        assertTrue(Files.exists(BackupRotator.backup(log, 3)));
        assertFalse(Files.exists(BackupRotator.backup(log, 4)));
        List<String> lines = new ArrayList<>();
        for (Path file : LogFiles.oldestFirst(log)) {
            lines.addAll(Files.readAllLines(file));
        }
        // what is left is the newest records, contiguous, ending with the last one written
        int total = recordsPerFile * 10;
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(RecordFormat.record("w", 0, total - lines.size() + i, 40), lines.get(i));
        }
        assertTrue(lines.size() >= 3 * recordsPerFile, "three full backups and the current file: " + lines.size());
    }

    @Test
    void maxBackupIndexZeroNeverRotates() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "1k", 0);
        writeRecords(handler, "w", 0, 100);
        assertFalse(Files.exists(BackupRotator.backup(log, 1)));
        assertTrue(Files.size(log) > 1024);
        LogCheck.verify(List.of(log), Map.of("w T0", 100L));
    }

    @Test
    void recordLargerThanRotateSizeGetsAFileOfItsOwn() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "100", 5);
        log(handler, "small");
        log(handler, "x".repeat(300));
        log(handler, "after");
        assertEquals("small\n", Files.readString(BackupRotator.backup(log, 2)));
        assertEquals("x".repeat(300) + "\n", Files.readString(BackupRotator.backup(log, 1)));
        assertEquals("after\n", Files.readString(log));
    }

    @Test
    void fileMovedAwayIsNoticedWithinTheIdentityCheckTimeAndNoRecordIsLost() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        log(handler, "r0");
        Path moved = dir.resolve("moved.log");
        Files.move(log, moved);
        StringBuilder expected = new StringBuilder("r0\n");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        for (int i = 1; !Files.exists(log); i++) {
            assertTrue(System.nanoTime() < deadline, "the move was not noticed in 10 s");
            log(handler, "r" + i);
            expected.append('r').append(i).append('\n');
        }
        log(handler, "last");
        expected.append("last\n");
        String moveRecords = Files.readString(moved);
        assertTrue(moveRecords.startsWith("r0\n"));
        assertEquals(expected.toString(), moveRecords + Files.readString(log),
                "records written before the move was noticed stay in the moved file, the rest are in the new one");
    }

    @Test
    void twoLogsSharingOneLockFileEachRotateByTheirOwnSize() throws IOException {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        ConcurrentRotatingFileHandler one = handler(first);
        ConcurrentRotatingFileHandler two = handler(second);
        for (ConcurrentRotatingFileHandler handler : List.of(one, two)) {
            handler.setLockFile(dir.resolve("shared.lock").toString());
            TestHandlers.rotateAt(handler, "1k", 100);
        }
        List<String> firstRecords = new ArrayList<>();
        List<String> secondRecords = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            firstRecords.add("one " + i + " " + "x".repeat(90) + "\n");
            log(one, firstRecords.get(i).strip());
            secondRecords.add("two " + i + " " + "y".repeat(190) + "\n");
            log(two, secondRecords.get(i).strip());
        }
        assertFilesHold(first, firstRecords, 1024);
        assertFilesHold(second, secondRecords, 1024);
    }

    /** Asserts that {@code log} and its backups hold {@code records} as rotation at {@code rotateSize} splits them. */
    private static void assertFilesHold(Path log, List<String> records, int rotateSize) throws IOException {
        List<String> expectedFiles = new ArrayList<>(List.of(""));
        for (String record : records) {
            String current = expectedFiles.get(expectedFiles.size() - 1);
            if (!current.isEmpty() && current.length() + record.length() > rotateSize) {
                expectedFiles.add(record);
            } else {
                expectedFiles.set(expectedFiles.size() - 1, current + record);
            }
        }
        List<String> actualFiles = new ArrayList<>();
        for (int index = expectedFiles.size() - 1; index >= 1; index--) {
            actualFiles.add(Files.readString(BackupRotator.backup(log, index)));
        }
        actualFiles.add(Files.readString(log));
        assertEquals(expectedFiles, actualFiles);
        assertFalse(Files.exists(BackupRotator.backup(log, expectedFiles.size())));
    }

    /**
     * Code that runs inside the handler's write (here a character set's encoder) and logs to the same handler must
     * not deadlock or fail: its record is buffered and written with the next batch, in both modes. (With
     * autoFlush=false "outer" is encoded only when the flush writes it, after "after" was published.)
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recordLoggedFromWithinTheWriteIsWrittenAfterIt(boolean autoFlush) throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setAutoFlush(autoFlush);
        handler.setEncoding(LoggingCharset.NAME);
        LoggingCharset.onNextEncode(() -> log(handler, "from within"));
        log(handler, "outer");
        log(handler, "after");
        handler.flush();
        assertEquals(autoFlush ? "outer\nfrom within\nafter\n" : "outer\nafter\nfrom within\n",
                Files.readString(log));
    }

    /**
     * Code inside the write that logs every time the handler encodes cannot keep the batch going for ever: the records
     * it logs join the batch being taken until the buffer is full, and the next are reported and dropped.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the bound the batch never ends
    void aWriteWhoseEncoderLogsEveryTimeEnds() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setAutoFlush(false);
        handler.setEncoding(LoggingCharset.NAME);
        String within = "w".repeat(999);
        LoggingCharset.onEveryEncode(() -> log(handler, within));
        try {
            log(handler, "outer");
            handler.flush();
        } finally {
            LoggingCharset.onEveryEncode(null);
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals("outer", lines.get(0));
        assertTrue(lines.size() > 60 && lines.subList(1, lines.size()).stream().allMatch(within::equals),
                lines.size() + " lines");
        // the encoder may run more than once per record, so the drops are counted only as at least one
        List<RecordingErrorManager.Report> drops = errors.takeAll(ErrorManager.WRITE_FAILURE);
        assertFalse(drops.isEmpty());
        assertTrue(drops.stream().allMatch(r -> r.message().contains("logged from within one write")), drops.toString());
    }

    /**
     * An Error in the middle of a batch (here thrown by the charset, as running out of memory would be) fails the
     * record being written and is reported; nothing waits for ever, and the next records are written.
     */
    @Test
    void anErrorWhileWritingFailsThatRecordAndLoggingGoesOn() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setEncoding(LoggingCharset.NAME);
        log(handler, "before");
        LoggingCharset.onNextEncode(() -> {
            throw new OutOfMemoryError("simulated");
        });
        log(handler, "lost to the error");
        log(handler, "after");
        assertEquals("before\nafter\n", Files.readString(log));
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).message().startsWith("Unable to publish"), reports.get(0).message());
    }

    @Test
    void encodingIsApplied() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setEncoding("ISO-8859-1");
        log(handler, "caf\u00e9");
        assertEquals(5, Files.size(log), "one byte per character in ISO-8859-1, where UTF-8 takes six");
        assertEquals("caf\u00e9\n", Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    @Test
    void filePermissionsApplyToLogBackupsAndLockFile() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setFilePermissions("rw-r-----");
        TestHandlers.rotateAt(handler, "100", 2);
        assertEquals("rw-r-----", handler.getFilePermissions());
        writeRecords(handler, "w", 0, 5);
        for (Path file : List.of(log, BackupRotator.backup(log, 1), dir.resolve(".app.log.lock"))) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
    }

    // handlers of one JVM; MultiProcessIT.appendFalseEmptiesTheFileOnlyWhenNoOtherProcessHasItOpen: across JVMs
    @Test
    void appendFalseEmptiesTheFileOnlyWhenTheGroupStarts() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "old\n");
        ConcurrentRotatingFileHandler first = handler(log);
        first.setAppend(false);
        log(first, "one");
        assertEquals("one\n", Files.readString(log));

        ConcurrentRotatingFileHandler second = handler(log);
        second.setAppend(false);
        log(second, "two");
        assertEquals("one\ntwo\n", Files.readString(log), "a handler joining a running group appends");
    }

    // handlers of one JVM; MultiProcessIT.rotateOnBootRotatesOnlyWhenNoOtherProcessHasTheFileOpen: across JVMs
    @Test
    void rotateOnBootRotatesOnceWhenTheGroupStarts() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "previous run\n");
        ConcurrentRotatingFileHandler first = handler(log);
        first.setRotateOnBoot(true);
        log(first, "one");
        assertEquals("previous run\n", Files.readString(BackupRotator.backup(log, 1)));
        assertEquals("one\n", Files.readString(log));

        ConcurrentRotatingFileHandler second = handler(log);
        second.setRotateOnBoot(true);
        log(second, "two");
        assertEquals("one\ntwo\n", Files.readString(log), "no second rotation while the group runs");
        assertEquals("previous run\n", Files.readString(BackupRotator.backup(log, 1)));
    }

    @Test
    void rotateOnBootLeavesAnEmptyFileAlone() throws IOException {
        Path log = dir.resolve("app.log");
        Files.createFile(log);
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setRotateOnBoot(true);
        log(handler, "one");
        assertFalse(Files.exists(BackupRotator.backup(log, 1)));
    }

    // BackupRotatorTest: the same at the next rotation, and under any date
    @Test
    void aRotationThatDiedHalfWayIsFinishedWhenAHandlerStarts() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(dir.resolve("app.log" + BackupRotator.PARKED), "parked\n");
        Files.writeString(BackupRotator.backup(log, 1), "older\n");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setMaxBackupIndex(10);
        log(handler, "one");
        assertFalse(Files.exists(dir.resolve("app.log" + BackupRotator.PARKED)));
        assertEquals("parked\n", Files.readString(BackupRotator.backup(log, 1)));
        assertEquals("older\n", Files.readString(BackupRotator.backup(log, 2)));
        assertEquals("one\n", Files.readString(log));
    }

    @Test
    void settingFileNameAgainAppliesRotateOnBootAndAppendAnewToTheOnlyWriter() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setRotateOnBoot(true);
        log(handler, "one");
        handler.setFileName(log.toString()); // the same file, as a reconfiguration does
        log(handler, "two");
        assertEquals("one\n", Files.readString(BackupRotator.backup(log, 1)));
        assertEquals("two\n", Files.readString(log));
        handler.setRotateOnBoot(false);
        handler.setAppend(false);
        handler.setFileName(log.toString());
        log(handler, "three");
        assertEquals("three\n", Files.readString(log));
        assertEquals("one\n", Files.readString(BackupRotator.backup(log, 1)));
    }

    @Test
    void settingFileNameAgainWhileAnotherHandlerWritesTheFileOnlyAppends() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler first = handler(log);
        log(first, "one");
        ConcurrentRotatingFileHandler second = handler(log);
        second.setAppend(false);
        second.setRotateOnBoot(true);
        second.setFileName(log.toString());
        log(second, "two");
        assertEquals("one\ntwo\n", Files.readString(log));
        assertFalse(Files.exists(BackupRotator.backup(log, 1)));
    }

    // rotateOnBoot's move into a size chain; TimeRotationTest.aStaleFileAtStart...: a stale file's time rotation
    @Test
    void rotateOnBootWithATimeSuffixMovesTheFileIntoItsPeriodsSizeChain() throws IOException {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "previous run\n");
        Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2026-11-20T10:00:00Z")));
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setTimeZone("UTC");
        handler.setSuffix(".yyyy-MM-dd");
        handler.setRotateOnBoot(true);
        log(handler, "one");
        assertEquals("previous run\n", Files.readString(dir.resolve("app.log.2026-11-20.1")));
        assertEquals("one\n", Files.readString(log));
    }

    // ---- autoFlush=false: buffered records

    @Test
    void bufferedRecordsAreWrittenOnFlushCloseAndWithinTheMaximumDelay() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setAutoFlush(false);
        log(handler, "one");
        handler.flush();
        assertEquals("one\n", Files.readString(log), "flush writes what is buffered");

        log(handler, "two");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!Files.readString(log).contains("two") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals("one\ntwo\n", Files.readString(log), "written by the flusher without any flush");

        log(handler, "three");
        handler.close();
        assertEquals("one\ntwo\nthree\n", Files.readString(log), "close writes what is buffered");
    }

    // a record that waits is appended without any lock when it can be: never ahead of the thread's buffered records
    @Test
    void aThreadsBufferedRecordsStayAheadOfItsWaitedRecordsOnTheSameFile() throws IOException {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler buffering = handler(log);
        buffering.setAutoFlush(false);
        ConcurrentRotatingFileHandler waited = handler(log);
        for (int sequence = 0; sequence < 200; sequence++) {
            log(sequence % 2 == 0 ? buffering : waited, RecordFormat.record("w", 0, sequence, 40));
        }
        buffering.flush();
        LogCheck.verify(List.of(log), expected(1, 200));
    }

    @Test
    void bufferedRecordsAreWrittenWhenTheBufferIsFullAndKeepTheirOrder() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setAutoFlush(false);
        TestHandlers.rotateAt(handler, "64k", 1000);
        runThreads(4, 3_000, thread -> handler, () -> { });
        assertTrue(Files.exists(BackupRotator.backup(log, 1)), "full buffers were written and rotated without flush");
        handler.flush();
        LogCheck.verify(LogFiles.oldestFirst(log), expected(4, 3_000));
        SizeRule.verify(log, 64 * 1024, 80);
    }

    // autoFlush=false, reported by the flush; writeFailureIsReportedAndLoggingGoesOn: autoFlush=true, by publish
    @Test
    void bufferedRecordThatCannotBeWrittenIsReported() throws IOException {
        timings.identityCheckNanos = 0; // every write compares the file at the path with the open one
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setAutoFlush(false);
        log(handler, "one");
        handler.flush();
        Files.delete(log);
        Files.createDirectory(log);
        log(handler, "lost: the path is now a directory");
        handler.flush();
        assertEquals(1, errors.takeAll(ErrorManager.WRITE_FAILURE).size());
    }

    // ---- errors never escape publish

    @Test
    void formatterFailureIsReportedNotThrown() {
        ConcurrentRotatingFileHandler handler = handler(dir.resolve("app.log"));
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                throw new IllegalStateException("broken formatter");
            }
        });
        log(handler, "x");
        assertEquals(1, errors.takeAll(ErrorManager.FORMAT_FAILURE).size());
    }

    @Test
    void publishWithoutFileOrAfterCloseIsReported() {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler();
        handler.setErrorManager(errors);
        log(handler, "nowhere");
        assertTrue(errors.takeAll(ErrorManager.WRITE_FAILURE).get(0).message().contains("fileName"));

        ConcurrentRotatingFileHandler closed = handler(dir.resolve("app.log"));
        log(closed, "before close");
        closed.close();
        log(closed, "late");
        assertTrue(errors.takeAll(ErrorManager.WRITE_FAILURE).get(0).message().contains("closed"));
        assertTrue(Files.exists(dir.resolve(".app.log.lock")), "closing never deletes the lock file");
        assertEquals(0, SharedLogFile.openFileCount(), "closing released the shared file");
    }

    // autoFlush=true, reported by publish; bufferedRecordThatCannotBeWrittenIsReported: autoFlush=false
    @Test
    void writeFailureIsReportedAndLoggingGoesOn() throws IOException {
        timings.identityCheckNanos = 0; // every write compares the file at the path with the open one
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        log(handler, "one");
        Files.delete(log);
        Files.createDirectory(log);
        log(handler, "lost: the path is now a directory");
        assertEquals(1, errors.takeAll(ErrorManager.WRITE_FAILURE).size());
        Files.delete(log);
        log(handler, "two");
        assertEquals("two\n", Files.readString(log));
    }

    // ---- threads, handler instances, live changes

    // interrupted before publish; LockTimeoutIT.interruptWhileBlocked...: interrupted while blocked on another JVM
    @Test
    void interruptedThreadWritesAndKeepsItsInterruptStatus() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "2k", 100);
        List<Boolean> statusAfterPublish = new ArrayList<>();
        Thread interrupted = new Thread(() -> {
            for (int sequence = 0; sequence < 200; sequence++) {
                Thread.currentThread().interrupt();
                log(handler, RecordFormat.record("i", 0, sequence, 40));
                statusAfterPublish.add(Thread.interrupted());
            }
        });
        Thread other = new Thread(() -> writeRecords(handler, "o", 0, 200));
        interrupted.start();
        other.start();
        interrupted.join();
        other.join();
        assertFalse(statusAfterPublish.contains(false), "interrupt status kept after every publish");
        writeRecords(handler, "m", 0, 10);
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("i T0", 200L, "o T0", 200L, "m T0", 10L));
    }

    // an interrupt that arrives during a write closes the channel under the threads appending without a lock
    @Test
    void interruptsArrivingWhileOthersWriteLoseNothing() throws Exception {
        ConcurrentRotatingFileHandler handler = handler(dir.resolve("app.log"));
        TestHandlers.rotateAt(handler, "16k", 1000);
        List<Thread> writers = java.util.stream.IntStream.range(0, 4)
                .mapToObj(thread -> new Thread(() -> writeRecords(handler, "w", thread, 2_000))).toList();
        writers.forEach(Thread::start);
        while (writers.stream().anyMatch(Thread::isAlive)) {
            writers.forEach(Thread::interrupt);
            Thread.yield();
        }
        LogCheck.verify(LogFiles.oldestFirst(dir.resolve("app.log")), expected(4, 2_000));
    }

    // one JVM; MultiProcessIT.fourJvmsWithTwoHandlerInstancesEachShareOneRotatingFile: two per JVM, four JVMs
    @Test
    void twoHandlersAndManyThreadsShareOneFile() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler a = handler(log);
        ConcurrentRotatingFileHandler b = handler(log);
        for (ConcurrentRotatingFileHandler handler : List.of(a, b)) {
            TestHandlers.rotateAt(handler, "4k", 1000);
        }
        runThreads(4, 500, thread -> thread % 2 == 0 ? a : b, () -> { });
        LogCheck.verify(LogFiles.oldestFirst(log), expected(4, 500));
        SizeRule.verify(log, 4096, 80);
    }

    /**
     * Records from 40 bytes to 9 kB, from 24 threads at once (the lock-free appends of one JVM side by side):
     * every record comes out whole, once, in its thread's order.
     */
    @Test
    void recordsOfEverySizeFromManyThreadsComeOutWhole() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        TestHandlers.rotateAt(handler, "256k", 1000);
        runThreads(24, 200, sequence -> sequence % 10 == 0 ? 9_000 : 40 + sequence % 150, thread -> handler, () -> { });
        LogCheck.verify(LogFiles.oldestFirst(log), expected(24, 200));
    }

    @Test
    void settersAreSafeWhileRecordsAreWritten() throws Exception {
        Path log = dir.resolve("app.log");
        ConcurrentRotatingFileHandler handler = handler(log);
        handler.setMaxBackupIndex(1000);
        runThreads(4, 500, thread -> handler, () -> {
            for (int i = 0; i < 200; i++) {
                handler.setRotateSize(i % 2 == 0 ? "2k" : "3k");
                handler.setMaxBackupIndex(1000 + i % 2);
                handler.setRotateOnBoot(i % 2 == 0);
                handler.setAutoFlush(i % 3 != 0);
            }
        });
        LogCheck.verify(LogFiles.oldestFirst(log), expected(4, 500));
    }

    @Test
    void changingFileNameWhileWritingLosesNothing() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        ConcurrentRotatingFileHandler handler = handler(first);
        CountDownLatch someWritten = new CountDownLatch(100);
        CountDownLatch switched = new CountDownLatch(1);
        AtomicInteger chosen = new AtomicInteger();
        runThreads(4, 500, thread -> {
            someWritten.countDown();
            if (chosen.incrementAndGet() > 1000) { // the second half waits for the switch: both files are written
                awaitQuietly(switched);
            }
            return handler;
        }, () -> {
            awaitQuietly(someWritten);
            handler.setFileName(second.toString());
            switched.countDown();
        });
        assertTrue(Files.size(first) > 0 && Files.size(second) > 0, "both files were written");
        LogCheck.verify(List.of(first, second), expected(4, 500));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface HandlerChoice {
        ConcurrentRotatingFileHandler forThread(int thread);
    }

    private static void runThreads(int threads, int records, HandlerChoice choice, Runnable meanwhile)
            throws InterruptedException {
        runThreads(threads, records, sequence -> 40, choice, meanwhile);
    }

    /** Each of {@code threads} threads logs {@code records} records, of {@code length(sequence)} payload bytes. */
    private static void runThreads(int threads, int records, IntUnaryOperator length, HandlerChoice choice,
            Runnable meanwhile) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                for (int sequence = 0; sequence < records; sequence++) {
                    log(choice.forThread(thread), RecordFormat.record("w", thread, sequence,
                            length.applyAsInt(sequence)));
                }
            });
            writer.start();
            started.add(writer);
        }
        meanwhile.run();
        for (Thread writer : started) {
            writer.join();
        }
    }

    private static Map<String, Long> expected(int threads, long records) {
        Map<String, Long> expected = new java.util.HashMap<>();
        for (int t = 0; t < threads; t++) {
            expected.put("w T" + t, records);
        }
        return expected;
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window that appending without the OS lock opens: another process has reserved bytes of the open file and not
 * written them yet ({@link Reserver}) when this one must rotate. A live one is waited for, so its record lands in the
 * file it was reserved in, before that file is rotated and compressed; a dead one is not.
 */
class ReservationWindowIT {

    private static final int RECORDS = 40; // of about 100 bytes: 4 rotations at 1k

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private ConcurrentRotatingFileHandler handler;
    private ChildJvm.Running reserver;

    @AfterEach
    void cleanUp() throws IOException {
        if (reserver != null) {
            signal("CONT", reserver);
            reserver.kill();
        }
        if (handler != null) {
            handler.close();
        }
        errors.assertNoUnexpected();
    }

    @Test
    @Timeout(120)
    void rotationWaitsForStoppedReserverThenItsRecordIsCompressedWithItsFile() throws Exception {
        Path log = dir.resolve("stopped.log");
        handler = handler(log, ".gz");
        publish(0);
        reserver = startReserver(log);
        signal("STOP", reserver);

        Thread writer = startWriter();
        awaitAppendsClosed(log); // the writer needs a rotation, and waits for the stopped reserver's bytes
        assertEquals(List.of(log), LogFiles.oldestFirst(log), "rotated while bytes of the file were in flight");
        assertTrue(writer.isAlive(), "the writer went on while bytes of the file were in flight");

        List<Path> files = resumeReserver(writer, log);
        assertTrue(files.size() >= 3, "rotated fewer than twice: " + files);
        for (Path backup : files.subList(0, files.size() - 1)) {
            assertTrue(backup.toString().endsWith(".gz"), "not compressed: " + backup);
        }
    }

    @Test
    @Timeout(120)
    void reserverStoppedPastLockTimeoutIsReportedAndItsRecordLandsInItsFileWhenItResumes() throws Exception {
        Path log = dir.resolve("late.log");
        handler = handler(log, null);
        handler.setLockTimeout("1s");
        publish(0);
        reserver = startReserver(log);
        signal("STOP", reserver);

        Thread writer = startWriter();
        writer.join(); // rotated past the stopped reserver after lockTimeout
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertEquals(1, reports.size(), "reports: " + reports);
        assertTrue(reports.get(0).message().contains("did not write them within lockTimeout"), reports.toString());

        resumeReserver(writer, log);
    }

    @Test
    @Timeout(120) // lockTimeout is 10 minutes: a rotation that waited for the dead reserver would not end in time
    void reserverKilledBeforeItsWriteHoldsNothingBack() throws Exception {
        Path log = dir.resolve("killed.log");
        handler = handler(log, null);
        publish(0);
        reserver = startReserver(log);
        reserver.kill();
        reserver.process().waitFor();
        reserver = null;

        Thread writer = startWriter();
        writer.join();
        handler.close();
        handler = null;

        List<Path> files = LogFiles.oldestFirst(log);
        new LogCheck().expectWriter("t", 1, RECORDS).check(files).assertOk();
        assertTrue(files.size() >= 3, "rotated fewer than twice: " + files);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 1024, file + " is larger than rotateSize");
        }
    }

    // A process killed part way through its append leaves its slot counted and its record cut. A process that claims
    // that slot anew must make the end unknown, as a drain that finds the dead writer does: else the ticket still
    // counts the bytes never written, and the next append, without the lock, continues the cut line.
    @Test
    @Timeout(120)
    void slotOfAWriterKilledMidAppendClaimedAnewMakesTheEndUnknown() throws Exception {
        Path log = dir.resolve("claimed.log");
        Timings trusting = new Timings();
        trusting.identityCheckNanos = TimeUnit.HOURS.toNanos(1); // as a writer whose identity check is fresh
        handler = TestHandlers.create(log, errors, trusting);
        publish(0);
        reserver = startReserver(log, Reserver.CUT);
        reserver.go();
        reserver.expectLine(Reserver.WRITTEN);
        reserver.kill();
        reserver.process().waitFor();
        reserver = startReserver(log, Reserver.CLAIM); // takes the dead one's slot: the first free one

        for (int i = 1; i < 4; i++) {
            publish(i);
        }
        handler.close();
        handler = null;
        List<Path> files = LogFiles.oldestFirst(log);
        List<String> cut = LogFiles.readLines(log).stream().filter(line -> line.startsWith("W" + Reserver.WRITER))
                .toList();
        assertEquals(1, cut.size(), "the cut record: " + cut);
        assertFalse(cut.get(0).contains("Wt "), "a record continued the cut line: " + cut.get(0));
        LogCheck.verifyAfterKills(files, Map.of("t T0", 4L), Map.of(Reserver.WRITER + " T0", 0L), 40);
    }

    /**
     * Lets the stopped reserver go on and write its record, waits for the writer, closes the handler, and checks that
     * every record is there once and the reserver's is in the oldest file, the one it was reserved in.
     *
     * @return the files, oldest first
     */
    private List<Path> resumeReserver(Thread writer, Path log) throws Exception {
        signal("CONT", reserver);
        reserver.go();
        reserver.expectLine(Reserver.WRITTEN);
        writer.join();
        handler.close();
        handler = null;
        List<Path> files = LogFiles.oldestFirst(log);
        new LogCheck().expectWriter("t", 1, RECORDS).expect(Reserver.WRITER + " T0", 1).check(files).assertOk();
        try (var lines = LogFiles.reader(files.get(0))) {
            assertTrue(lines.lines().anyMatch(line -> line.startsWith("W" + Reserver.WRITER + " ")),
                    "the reserved record is not in the file it was reserved in, " + files.get(0));
        }
        return files;
    }

    private ConcurrentRotatingFileHandler handler(Path log, String suffix) {
        ConcurrentRotatingFileHandler created = TestHandlers.create(log, errors);
        created.setLockTimeout("10m");
        TestHandlers.rotateAt(created, "1k", 9);
        if (suffix != null) {
            created.setSuffix(suffix);
        }
        return created;
    }

    private void publish(int sequence) {
        handler.publish(new LogRecord(Level.INFO, RecordFormat.record("t", 0, sequence, 40)));
    }

    private Thread startWriter() {
        Thread writer = new Thread(() -> {
            for (int i = 1; i < RECORDS; i++) {
                publish(i);
            }
        }, "writer");
        writer.start();
        return writer;
    }

    private static ChildJvm.Running startReserver(Path log) throws IOException {
        return startReserver(log, "");
    }

    /** Starts a {@link Reserver} in {@code mode} and waits until it is ready. */
    private static ChildJvm.Running startReserver(Path log, String mode) throws IOException {
        ChildJvm.Running child = ChildJvm.of(Reserver.class).args(log.toString(), lockFileOf(log).toString(), mode)
                .stderrTo(log.resolveSibling("reserver-" + mode + ".stderr")).start();
        child.awaitReady();
        return child;
    }

    /** Waits until the ticket in the lock file is closed: a process holds the OS lock to rotate or repair. */
    private static void awaitAppendsClosed(Path log) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFileOf(log), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            LockFileState state = LockFileState.map(channel);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (state.ticket() < 0) {
                assertTrue(System.nanoTime() < deadline, "appends were never closed for a rotation");
                Thread.onSpinWait();
            }
        }
    }

    private static void signal(String signal, ChildJvm.Running child) throws IOException {
        try {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start()
                    .waitFor(), "kill -" + signal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Path lockFileOf(Path log) {
        return log.resolveSibling("." + log.getFileName() + ".lock");
    }
}

package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write without the OS lock, past {@code lockTimeout}, held (a Byteman rule in its JVM, {@link StragglingWriter})
 * between finding the file and its write call while the others rotate: it must land in a file that still exists.
 */
class UnlockedWriteIT {

    @TempDir
    Path dir;

    // A write without the OS lock (past lockTimeout) of another JVM, held before its write call until this JVM has
    // rotated the file it writes and shifted and compressed the backups: it is counted in flight in its JVM's slot, so
    // the file it lands in is neither compressed nor deleted before it lands. Uncounted, it went to a deleted file.
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriteWithoutTheLockKeepsTheFileItLandsInFromCompression() throws Exception {
        Path log = dir.resolve("straggler.log");
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = TestHandlers.create(log, errors);
        handler.setLockTimeout("1s");
        handler.setSuffix(".gz");
        TestHandlers.rotateAt(handler, "1k", 5);
        publish(handler, 0);
        ChildJvm.Running holder = LockHolder.start(log.resolveSibling("." + log.getFileName() + ".lock"));
        Path stalled = dir.resolve("write.stalled");
        Path rules = Files.writeString(dir.resolve("rules.btm"), """
                RULE hold a write without the OS lock
                CLASS dev.concurrentlog.LogFileOutput
                METHOD append
                HELPER dev.concurrentlog.FaultPointHelper
                AT INVOKE writeAll
                IF $3 == false && reached(1)
                DO stall(8000L)
                ENDRULE
                """);
        try (holder; ChildJvm.Running straggler = ChildJvm.of(StragglingWriter.class).named("straggler")
                .jvmOption(BytemanAgent.option(rules)).systemProperty("faultpoint.flag", stalled.toString())
                .args(log.toString(), ".gz").stderrTo(dir.resolve("straggler.stderr")).start()) {
            straggler.awaitReady();
            straggler.go();
            while (!Files.exists(stalled)) { // past lockTimeout, before its write call
                assertTrue(straggler.isAlive(), "the straggler died: " + straggler.said());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            holder.stop();
            assertTrue(holder.process().waitFor(30, TimeUnit.SECONDS));
            for (int sequence = 1; sequence < 40; sequence++) { // 4 rotations while the write is held
                publish(handler, sequence);
            }
            straggler.expectLine("done");
            assertEquals(0, straggler.awaitExit(Duration.ofMinutes(1)), straggler.said());
        }
        // this JVM's drain stopped waiting for the held write after lockTimeout
        List<RecordingErrorManager.Report> reports = errors.takeAll(ErrorManager.GENERIC_FAILURE);
        assertTrue(reports.stream().allMatch(report -> report.message().contains("within lockTimeout")),
                reports.toString());
        publish(handler, 40); // rotates, and shifts and compresses what waited for the straggler
        handler.close();
        errors.assertNoUnexpected();
        LogCheck.verify(LogFiles.oldestFirst(log), Map.of("t T0", 41L, "b T0", 1L));
    }

    private static void publish(ConcurrentRotatingFileHandler handler, int sequence) {
        handler.publish(new LogRecord(Level.INFO, RecordFormat.record("t", 0, sequence, 40)));
    }
}

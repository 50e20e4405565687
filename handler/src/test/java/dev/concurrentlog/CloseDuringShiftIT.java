package dev.concurrentlog;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler closed while a thread of its JVM shifts the backups: closing the lock file's channel would drop that
 * thread's lock on the backups (byte 2), and another process could shift the same backups at the same time. The
 * shift is held for {@value #STALL_MILLIS} ms at its first rename (a Byteman rule, {@link FaultPoint}); this test, as
 * the other process, tries byte 2 all along, and must not get it before the shift is done.
 */
class CloseDuringShiftIT {

    /** Longer than lockTimeout (1 s) and 10 s, what close once waited for the shift before it let go anyway. */
    private static final long STALL_MILLIS = 15_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeWaitsForItsJvmsShiftBeforeItLetsGoOfTheBackupsLock() throws Exception {
        Path log = dir.resolve("app.log");
        Path flag = dir.resolve("fault.fired");
        FaultPoint stall = new FaultPoint(FaultPoint.site("shift-rename"), false, 1);
        Path rules = Files.writeString(dir.resolve("rules.btm"), stall.rule(FaultPoint.Fault.STALL, STALL_MILLIS,
                null));
        try (ChildJvm.Running child = ChildJvm.of(ClosingWriter.class).named("closing writer")
                .jvmOption(BytemanAgent.option(rules))
                .systemProperty("faultpoint.flag", flag.toString())
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .args(log.toString()).stderrTo(dir.resolve("child.stderr")).start()) {
            child.awaitReady();
            while (!Files.exists(flag)) { // its shift is held now, with byte 2
                assertTrue(child.isAlive(), "the writer died: " + child.said());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            child.go();
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".app.log.lock"), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                FileLock backups;
                while ((backups = lockFile.tryLock(2, 1, false)) == null) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                List<String> parked = parked();
                backups.release();
                assertEquals(List.of(), parked, "byte 2 was free while the closing JVM still shifted");
            }
            child.expectLine("closed");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.said());
        }
        assertTrue(Files.isRegularFile(dir.resolve("app.log.1")), "the shift never finished");
    }

    private List<String> parked() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".rotating"))
                    .toList();
        }
    }
}

package dev.concurrentlog;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread of a writer JVM ({@link ClosingWriter}) shifts the backups, holding the lock on them (byte 2) without the
 * in-JVM lock, while the JVM lets go of the lock file: closing the lock file's channel would drop byte 2, and another
 * process could shift the same backups at the same time. The shift is held for {@value #STALL_MILLIS} ms at its first
 * rename (a Byteman rule); this test, as the other process, tries byte 2 all along, and must not get it before the
 * shift went on.
 */
class CloseDuringShiftIT {

    /** Longer than lockTimeout (1 s) and 10 s, what close once waited for the shift before it let go anyway. */
    private static final long STALL_MILLIS = 15_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeWaitsForItsJvmsShiftBeforeItLetsGoOfTheBackupsLock() throws Exception {
        Path flag = dir.resolve("fault.fired");
        FaultPoint stall = new FaultPoint(FaultPoint.site("shift-rename"), false, 1);
        try (ChildJvm.Running child = startHeld(stall.rule(FaultPoint.Fault.STALL, STALL_MILLIS, null), flag)) {
            List<String> parked = underBackupsLock(this::parked);
            assertEquals(List.of(), parked, "byte 2 was free while the closing JVM still shifted");
            child.expectLine("closed");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.said());
        }
        assertTrue(Files.isRegularFile(dir.resolve("app.log.1")), "the shift never finished");
    }

    // While the shift is held, another thread of its JVM rotates, and the release of the OS mutex fails once (EIO): the
    // channel must close to let go of the mutex, but closing it then would drop the shift's byte 2. The close waits
    // for the shift: byte 2 is not free (nor taken by another thread) before the shift goes on, and no record is lost.
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailedReleaseOfTheMutexKeepsTheBackupsLockOfItsJvmsShift() throws Exception {
        Path flag = dir.resolve("fault.fired");
        Path failed = dir.resolve("release.failed");
        Path resumed = dir.resolve("shift.resumed");
        // the second rule is on the JDK's lock: Byteman's own helper, whose flags the first rule's helper shares
        String rules = """
                RULE hold the shift at its first rename
                CLASS dev.concurrentlog.BackupRotator$Renames
                METHOD move
                HELPER dev.concurrentlog.FaultPointHelper
                AT INVOKE shift
                IF reached(1)
                DO flag("shift held");
                   stall(%dL);
                   traceOpen("resumed", "%s");
                   traceClose("resumed")
                ENDRULE
                RULE fail one release of the OS mutex while the shift is held
                CLASS sun.nio.ch.FileLockImpl
                METHOD release
                AT ENTRY
                IF callerEquals("unlockFile") && flagged("shift held") && flag("released")
                DO traceOpen("released", "%s");
                   traceClose("released");
                   throw new java.io.IOException("Input/output error (injected EIO)")
                ENDRULE
                """.formatted(STALL_MILLIS, resumed, failed);
        try (ChildJvm.Running child = startHeld(rules, flag, "publish")) {
            boolean shiftResumed = underBackupsLock(() -> Files.exists(resumed));
            assertTrue(Files.exists(failed), "the release of the mutex never failed");
            assertTrue(shiftResumed, "byte 2 was free while the shift was held");
            child.expectLine("closed");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.said());
        }
        // files parked while the shift was held may wait, parked, for the next writer (see docs/guarantees.md)
        LogCheck.verify(LogFiles.oldestFirst(dir.resolve("app.log")), Map.of("c T0", 40L, "m T0", 60L));
    }

    // An Error (out of memory) thrown after byte 2 was taken for a shift and before the shift ran: the lock is still
    // let go of, so the close, which waits for this JVM's holds of byte 2, returns.
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anErrorBeforeTheShiftLeavesNoHoldOfTheBackupsLockForCloseToWaitFor() throws Exception {
        Path thrown = dir.resolve("error.thrown");
        String rules = """
                RULE an Error as the shift begins
                CLASS dev.concurrentlog.SharedLogFile
                METHOD shiftBackups
                AT ENTRY
                IF flag("thrown")
                DO traceOpen("thrown", "%s");
                   traceClose("thrown");
                   throw new java.lang.OutOfMemoryError("injected")
                ENDRULE
                """.formatted(thrown);
        try (ChildJvm.Running child = startHeld(rules, thrown)) {
            child.expectLine("closed");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)), child.said());
        }
    }

    /**
     * Starts a {@link ClosingWriter} on {@code app.log} with {@code args} and Byteman's {@code rules} (also on JDK
     * classes), and tells it to go once {@code fired} exists: the rules hold it where they fired.
     */
    private ChildJvm.Running startHeld(String rules, Path fired, String... args) throws Exception {
        Path script = Files.writeString(dir.resolve("rules.btm"), rules);
        String[] all = new String[args.length + 1];
        all[0] = dir.resolve("app.log").toString();
        System.arraycopy(args, 0, all, 1, args.length);
        ChildJvm.Running child = ChildJvm.of(ClosingWriter.class).named("closing writer")
                .jvmOption(BytemanAgent.optionOnJdk(script))
                .systemProperty("org.jboss.byteman.transform.all", "true")
                .systemProperty("faultpoint.flag", fired.toString())
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .args(all).stderrTo(dir.resolve("child.stderr")).start();
        child.awaitReady();
        while (!Files.exists(fired)) {
            assertTrue(child.isAlive(), "the writer died: " + child.said());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        child.go();
        return child;
    }

    /** Waits for byte 2 of the lock file, as another process, and returns what {@code seen} says while it holds it. */
    private <T> T underBackupsLock(Callable<T> seen) throws Exception {
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".app.log.lock"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock backups;
            while ((backups = lockFile.tryLock(2, 1, false)) == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            try {
                return seen.call();
            } finally {
                backups.release();
            }
        }
    }

    private List<String> parked() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".rotating"))
                    .toList();
        }
    }
}

package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.ErrorManager;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.ParentLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jboss-logmanager's {@code testFailedRotate}, against this handler: every rename onto {@code NAME.2} fails (a Byteman
 * rule in the writer JVM), with rotateSize 1024 and maxBackupIndex 5; 60 records make 3 backups, fewer than
 * maxBackupIndex, so that none is due for deletion. Every backup keeps the name it had: the first, with the oldest
 * records, stays {@code NAME.1}, and the later ones wait parked, in order, until the slot may be written. The refusal
 * is reported once.
 */
class RefusedSlotIT {

    @TempDir
    Path dir;

    @Test
    void refusedRenameOntoOneSlotLeavesEveryBackupUnderItsNameAndIsReportedOnce() throws Exception {
        Path log = dir.resolve("app.log");
        Path rules = Files.writeString(dir.resolve("rules.btm"), """
                RULE refuse every rename onto app.log.2
                CLASS dev.concurrentlog.BackupRotator
                METHOD shift
                AT ENTRY
                IF $2.getFileName().toString().equals("app.log.2")
                DO throw new java.io.IOException("rename onto app.log.2 refused (injected)")
                ENDRULE
                """);
        int reports;
        try (ChildJvm.Running writer = ChildJvm.of(SlotWriter.class).named("writer")
                .jvmOption(BytemanAgent.option(rules))
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .args(log.toString()).stderrTo(dir.resolve("writer.stderr")).start()) {
            writer.awaitReady();
            writer.awaitLine("done");
            assertEquals(0, writer.awaitExit(Duration.ofMinutes(1)), writer.said());
            reports = writer.said().split("ERROR REPORT", -1).length - 1;
        }
        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(Files.isRegularFile(dir.resolve("app.log.1")), "the first backup left its slot: " + files);
        for (int index = 2; index <= 5; index++) {
            assertTrue(Files.notExists(dir.resolve("app.log." + index)), "app.log." + index + ": " + files);
        }
        assertTrue(LogCheck.countRecords(List.of(dir.resolve("app.log.1"))).get("w T0") > 0, "app.log.1 is empty");
        LogCheck.verify(files, Map.of("w T0", 60L)); // oldest first: .1, the parked files in order, the log
        assertEquals(4, files.size(), "three backups and the log: " + files);
        assertEquals(1, reports, "the refused shift, reported once");
    }

    /** Writes 60 records through a handler rotating at 1024 bytes, keeping 5 backups, then closes it. */
    public static final class SlotWriter {

        public static void main(String[] args) throws Exception {
            ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler();
            handler.setFileName(args[0]);
            handler.setErrorManager(new ErrorManager() {
                @Override
                public synchronized void error(String message, Exception exception, int code) {
                    System.err.println("ERROR REPORT code " + code + ": " + message);
                }
            });
            handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
            TestHandlers.rotateAt(handler, "1024", 5);
            ParentLink.ready();
            TestHandlers.writeRecords(handler, "w", 0, 0, 60);
            handler.close();
            ParentLink.tell("done");
        }
    }
}

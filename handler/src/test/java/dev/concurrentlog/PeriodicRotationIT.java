package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Time rotation for real: 4 JVMs x 4 threads write one file with a per-minute suffix across three minute boundaries,
 * with size rotations inside each minute. Two groups run at once, one compressing its backups ({@code .gz}) and one
 * not; in each, one JVM is stopped (SIGSTOP) across a boundary and then resumed. Every record must be there exactly
 * once, intact, in per-thread order, in the file of its minute or a later one; each minute has its one time backup;
 * no file exceeds the rotate size; and once the writers have closed, no raw backup and no temporary file is left.
 */
class PeriodicRotationIT {

    private static final String SUFFIX = ".yyyy-MM-dd-HH-mm";
    /** The length of a backup's date, {@code 2026-11-26-10-15}. */
    private static final int DATE_LENGTH = SUFFIX.length() - 1;
    private static final int JVMS = 4;
    private static final int THREADS = 4;
    private static final long ROTATE_SIZE = 256 * 1024;
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private record Group(String name, Path log, String suffix, WriterJvms jvms, List<WriterJvms.Running> writers) {
    }

    @Test
    void fourJvmsAcrossThreeMinuteBoundariesRotateOncePerMinuteWithAndWithoutCompression() throws Exception {
        List<Group> groups = List.of(group("plain", SUFFIX), group("gz", SUFFIX + ".gz"));
        try {
            for (Group group : groups) {
                Path properties = group.jvms.loggingProperties(1);
                for (int j = 0; j < JVMS; j++) {
                    group.writers.add(group.jvms.startRunning(properties, group.name + j, THREADS));
                }
            }
            groups.forEach(group -> group.writers.forEach(writer -> send(writer, ChildJvm.GO)));
            long first = System.currentTimeMillis() / MINUTE * MINUTE + MINUTE;
            // across the second boundary, one JVM of each group is stopped: the others rotate without it
            awaitClock(first + MINUTE - 5_000);
            for (Group group : groups) {
                signal("STOP", group.writers.get(JVMS - 1));
            }
            awaitClock(first + MINUTE + 10_000);
            for (Group group : groups) {
                signal("CONT", group.writers.get(JVMS - 1));
            }
            awaitClock(first + 2 * MINUTE + 2_000);
            for (Group group : groups) {
                for (WriterJvms.Running writer : group.writers) {
                    group.jvms.stop(writer);
                }
            }
        } finally {
            groups.forEach(group -> group.writers.forEach(writer -> writer.process().destroyForcibly()));
        }
        for (Group group : groups) {
            verify(group);
        }
    }

    private Group group(String name, String suffix) throws IOException {
        Path groupDir = Files.createDirectory(dir.resolve(name));
        Path log = groupDir.resolve("shared.log");
        WriterJvms jvms = new WriterJvms(groupDir, log)
                .property("suffix", suffix)
                .property("timeZone", "UTC")
                .property("rotateSize", Long.toString(ROTATE_SIZE))
                .property("maxBackupIndex", "10000")
                .property("lockTimeout", "5m") // a JVM stopped while it holds the lock is waited for, not bypassed
                .jvmOption("-Dwriter.timed=true")
                .jvmOption("-Dwriter.pauseMicros=2000");
        return new Group(name, log, suffix, jvms, new ArrayList<>());
    }

    private void verify(Group group) throws IOException {
        RotationSuffix suffix = RotationSuffix.parse("suffix", group.suffix, ZoneId.of("UTC"));
        List<Path> files = LogFiles.oldestFirst(group.log, DATE_LENGTH);
        Map<String, Long> expected = new HashMap<>();
        group.writers.forEach(writer -> writer.addReturned(expected));
        LogCheck.verify(files, expected);

        List<String> timeBackups = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertTrue(file.equals(group.log) || name.endsWith(suffix.compression().extension),
                    "uncompressed or leftover file " + name);
            Optional<LogFiles.BackupName> backup = LogFiles.backupName(group.log, file, DATE_LENGTH);
            long filePeriod = backup.isEmpty() ? Long.MAX_VALUE : suffix.periodNamed("." + backup.get().date());
            if (backup.isPresent() && backup.get().index() == 0) {
                timeBackups.add(name);
            }
            for (String line : LogFiles.readLines(file)) {
                RecordFormat.Fields record = RecordFormat.parse(line);
                long logged = record == null ? -1 : record.time();
                assertTrue(suffix.periodStart(logged) <= filePeriod,
                        "record of " + logged + " in the earlier file " + name + ": " + line);
                records++;
            }
            if (!file.equals(group.log) && suffix.compression() == RotationSuffix.Compression.NONE) {
                long size = Files.size(file);
                assertTrue(size <= ROTATE_SIZE, name + " has " + size + " bytes");
            }
        }
        assertTrue(timeBackups.size() >= 3, "one time backup per minute that ended: " + timeBackups);
        try (Stream<Path> hidden = Files.list(group.log.getParent())) {
            List<String> leftovers = hidden.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") && !n.endsWith(".lock")).toList();
            assertEquals(List.of(), leftovers, "temporary files left behind");
        }
        System.out.printf("%s: %d records in %d files, time backups %s%n", group.name, records, files.size(),
                timeBackups);
    }

    private static void send(WriterJvms.Running writer, String line) {
        try {
            writer.jvm().send(line);
        } catch (IOException e) {
            fail(writer.name() + " does not listen: " + e);
        }
    }

    private static void signal(String signal, WriterJvms.Running writer) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(writer.process().pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + writer.name());
    }

    /** Waits until the wall clock reaches {@code millis}: the boundaries are those of the real clock. */
    private static void awaitClock(long millis) {
        for (long left; (left = millis - System.currentTimeMillis()) > 0; ) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(left, 500)));
        }
    }
}

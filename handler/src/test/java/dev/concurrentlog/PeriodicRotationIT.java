package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

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
            groups.forEach(group -> group.writers.forEach(writer -> send(writer, "go")));
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
        List<Path> files = oldestFirst(group.log, suffix);
        Map<String, Long> expected = new HashMap<>();
        group.writers.forEach(writer -> writer.addReturned(expected));
        LogVerifier.verify(files, expected);

        List<String> timeBackups = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertTrue(file.equals(group.log) || name.endsWith(suffix.compression().extension),
                    "uncompressed or leftover file " + name);
            long filePeriod = file.equals(group.log) ? Long.MAX_VALUE : period(group.log, suffix, file);
            if (!file.equals(group.log) && nameWithoutIndex(group.log, suffix, file)) {
                timeBackups.add(name);
            }
            for (String line : LogVerifier.readLines(file)) {
                long logged = LogVerifier.recordTime(line);
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

    /** The log's backups in the order they were written: by minute, each minute's size chain from its highest index. */
    private static List<Path> oldestFirst(Path log, RotationSuffix suffix) throws IOException {
        List<Path> backups = new ArrayList<>(BackupRotator.backups(log, suffix));
        backups.sort(Comparator.comparingLong((Path p) -> period(log, suffix, p))
                .thenComparing(Comparator.comparingInt((Path p) -> index(log, suffix, p)).reversed()));
        backups.add(log);
        return backups;
    }

    private static long period(Path log, RotationSuffix suffix, Path backup) {
        return suffix.periodNamed(stripped(log, suffix, backup).substring(0, suffix.dateText(0).length()));
    }

    private static boolean nameWithoutIndex(Path log, RotationSuffix suffix, Path backup) {
        return index(log, suffix, backup) == 0;
    }

    /** The size backup index, 0 for the time backup. */
    private static int index(Path log, RotationSuffix suffix, Path backup) {
        String name = stripped(log, suffix, backup);
        int dateLength = suffix.dateText(0).length();
        return name.length() == dateLength ? 0 : Integer.parseInt(name.substring(dateLength + 1));
    }

    /** The name after {@code NAME}, without the compression extension: {@code .2026-11-26-10-15.3}. */
    private static String stripped(Path log, RotationSuffix suffix, Path backup) {
        String name = backup.getFileName().toString().substring(log.getFileName().toString().length());
        String extension = suffix.compression().extension;
        return !extension.isEmpty() && name.endsWith(extension)
                ? name.substring(0, name.length() - extension.length()) : name;
    }

    private static void send(WriterJvms.Running writer, String line) {
        try {
            WriterJvms.send(writer.process(), line);
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

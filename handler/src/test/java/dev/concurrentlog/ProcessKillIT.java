package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Writer JVMs killed with SIGKILL at random moments while others write the same file. Most of the time some writer
 * holds the lock, and with hundreds of backups to shift a good part of it is spent rotating, so kills land there too.
 */
class ProcessKillIT {

    private static final int THREADS = 4;
    private static final int KILLS = 8;
    private static final int BACKUPS = 100_000;

    @TempDir
    Path dir;

    @Test
    void killedWritersLeaveNoStaleLockAndNoReturnedRecordIsLost() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime()); // replay a run with -Dkill.seed=...
        System.out.println("ProcessKillIT seed " + seed + " (replay with -Dkill.seed=" + seed + ")");
        Random random = new Random(seed);
        Path log = dir.resolve("kill.log");
        // lockTimeout of an hour: if a dead writer's lock outlived it, the survivors would stop
        WriterJvms jvms = new WriterJvms(dir, log).property("rotateSize", "64k")
                .property("maxBackupIndex", Integer.toString(BACKUPS)).property("lockTimeout", "1h");
        Path properties = jvms.loggingProperties(1);
        List<WriterJvms.Running> live = new ArrayList<>();
        Map<String, Long> returnedByKilled = new LinkedHashMap<>();
        List<String> reportsOfKilled = new ArrayList<>();
        int started = 0;
        try {
            for (; started < 4; started++) {
                live.add(start(jvms, properties, "k" + started));
            }
            for (int kill = 0; kill < KILLS; kill++) {
                awaitEachAdvances(live, 500 + random.nextInt(3000));
                WriterJvms.Running victim = live.remove(random.nextInt(live.size()));
                victim.process().destroyForcibly();
                assertTrue(victim.process().waitFor(1, TimeUnit.MINUTES), "killed writer did not die");
                for (int t = 0; t < THREADS; t++) {
                    returnedByKilled.put(victim.name() + " T" + t, victim.returned(t));
                }
                String stderr = victim.jvm().said();
                if (stderr.contains("ERROR REPORT")) { // a killed writer has no exit status to tell of its errors
                    reportsOfKilled.add(victim.name() + ": " + stderr.substring(0, Math.min(4000, stderr.length())));
                }
                // the survivors go on at once, without waiting for any timeout
                awaitEachAdvances(live, 200);
                live.add(start(jvms, properties, "k" + started++));
            }
            awaitEachAdvances(live, 1000);
            for (WriterJvms.Running writer : live) {
                jvms.stop(writer);
            }
        } finally {
            live.forEach(writer -> writer.process().destroyForcibly());
        }
        Map<String, Long> expected = new HashMap<>();
        live.forEach(writer -> writer.addReturned(expected));
        assertEquals(List.of(), reportsOfKilled, "killed writers reported errors before they died (seed " + seed + ")");
        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 20, "the writers must rotate many times: " + files.size() + " files");
        LogCheck.Result result = LogCheck.verifyAfterKills(files, expected, returnedByKilled, WriterProcess.PAYLOAD);
        System.out.printf("%d kills (seed %d): %d files, %d records of survivors, %d returned by killed writers; "
                + "unfinished records of killed writers: %d on a line of their own, %d followed on their line by "
                + "another's whole record%n", KILLS, seed, files.size(),
                expected.values().stream().mapToLong(Long::longValue).sum(),
                returnedByKilled.values().stream().mapToLong(Long::longValue).sum(), result.unfinished(),
                result.joined());
    }

    @Test
    void writerKilledWhileCompressingLeavesNoLossAndNoLeftoverOnceAnotherGoesOn() throws Exception {
        Path log = dir.resolve("gz.log");
        WriterJvms jvms = new WriterJvms(dir, log).property("suffix", ".gz").property("rotateSize", "8m")
                .property("maxBackupIndex", "1000").property("lockTimeout", "1h");
        Path properties = jvms.loggingProperties(1);
        Map<String, Long> returnedByKilled = new LinkedHashMap<>();
        Path stale = null;
        for (int attempt = 0; stale == null && attempt < 5; attempt++) {
            WriterJvms.Running victim = start(jvms, properties, "c" + attempt);
            try {
                Path compressing = awaitTemporaryFile(dir, victim);
                victim.process().destroyForcibly();
                assertTrue(victim.process().waitFor(1, TimeUnit.MINUTES), "killed writer did not die");
                stale = Files.exists(compressing) ? compressing : null; // else it finished first: again
            } finally {
                victim.process().destroyForcibly();
            }
            for (int t = 0; t < THREADS; t++) {
                returnedByKilled.put(victim.name() + " T" + t, victim.returned(t));
            }
        }
        assertTrue(stale != null, "no writer was killed in the middle of a compression in 5 attempts");
        String raw = stale.getFileName().toString();
        assertTrue(Files.exists(stale.resolveSibling(raw.substring(1, raw.length() - ".gz.tmp".length()))),
                "the raw backup of " + raw + " is kept");

        // another writer goes on: opening the log sweeps what the killed one left
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler other = TestHandlers.create(log, errors);
        other.setSuffix(".gz");
        TestHandlers.rotateAt(other, "8m", 1000);
        TestHandlers.writeRecords(other, "after", 0, 0, 10);
        other.close();
        errors.assertNoUnexpected();

        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(".gz.log")
                    || name.startsWith("gz.log")).sorted().toList();
        }
        assertTrue(names.stream().allMatch(name -> name.equals("gz.log") || name.equals(".gz.log.lock")
                || name.endsWith(".gz") && !name.startsWith(".")), "raw backups or temporary files left: " + names);
        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() >= 2, "rotated: " + names);
        LogCheck.verifyAfterKills(files, Map.of("after T0", 10L), returnedByKilled, WriterProcess.PAYLOAD);
    }

    /** Waits until {@code writer} compresses a backup: its temporary file has bytes in it. */
    private static Path awaitTemporaryFile(Path dir, WriterJvms.Running writer) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(writer.process().isAlive(), writer.name() + " died");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".gz.tmp") && sizeOrZero(file) > 0) {
                        return file;
                    }
                }
            }
        }
        throw new AssertionError(writer.name() + " compressed nothing in 60 s");
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static WriterJvms.Running start(WriterJvms jvms, Path properties, String name) throws IOException {
        WriterJvms.Running writer = jvms.startRunning(properties, name, THREADS);
        writer.jvm().go();
        return writer;
    }

    /** Waits until every writer has returned from {@code records} more publish calls than now. */
    private static void awaitEachAdvances(List<WriterJvms.Running> writers, long records) {
        long[] targets = new long[writers.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = writers.get(i).returned() + records;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < targets.length; i++) {
            WriterJvms.Running writer = writers.get(i);
            while (writer.returned() < targets[i]) {
                if (!writer.process().isAlive()) {
                    fail(writer.name() + " died: exit " + writer.process().exitValue());
                }
                if (System.nanoTime() > deadline) {
                    fail(writer.name() + " made no progress for 60 s: stuck behind a dead writer's lock?");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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

    /** One writer JVM and the file where its threads count their returned publish calls. */
    private record Writer(String name, Process process, MappedByteBuffer progress) {

        long returned(int thread) {
            return progress.getLong(thread * Long.BYTES);
        }

        long returned() {
            long total = 0;
            for (int t = 0; t < THREADS; t++) {
                total += returned(t);
            }
            return total;
        }
    }

    @Test
    void killedWritersLeaveNoStaleLockAndNoReturnedRecordIsLost() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path log = dir.resolve("kill.log");
        // lockTimeout of an hour: if a dead writer's lock outlived it, the survivors would stop
        WriterJvms jvms = new WriterJvms(dir, log).property("rotateSize", "64k")
                .property("maxBackupIndex", Integer.toString(BACKUPS)).property("lockTimeout", "1h");
        Path properties = jvms.loggingProperties(1);
        List<Writer> live = new ArrayList<>();
        Map<String, Long> returnedByKilled = new LinkedHashMap<>();
        List<String> reportsOfKilled = new ArrayList<>();
        int started = 0;
        try {
            for (; started < 4; started++) {
                live.add(start(jvms, properties, "k" + started));
            }
            for (int kill = 0; kill < KILLS; kill++) {
                awaitEachAdvances(live, 500 + random.nextInt(3000));
                Writer victim = live.remove(random.nextInt(live.size()));
                victim.process().destroyForcibly();
                assertTrue(victim.process().waitFor(1, TimeUnit.MINUTES), "killed writer did not die");
                for (int t = 0; t < THREADS; t++) {
                    returnedByKilled.put(victim.name() + " T" + t, victim.returned(t));
                }
                String stderr = jvms.stderr(victim.name());
                if (stderr.contains("ERROR REPORT")) { // a killed writer has no exit status to tell of its errors
                    reportsOfKilled.add(victim.name() + ": " + stderr.substring(0, Math.min(4000, stderr.length())));
                }
                // the survivors go on at once, without waiting for any timeout
                awaitEachAdvances(live, 200);
                live.add(start(jvms, properties, "k" + started++));
            }
            awaitEachAdvances(live, 1000);
            for (Writer writer : live) {
                WriterJvms.send(writer.process(), "stop");
            }
            for (Writer writer : live) {
                assertTrue(writer.process().waitFor(2, TimeUnit.MINUTES), writer.name() + " did not stop");
                assertEquals(0, writer.process().exitValue(), writer.name() + " failed (seed " + seed + "): "
                        + jvms.stderr(writer.name()));
            }
        } finally {
            live.forEach(writer -> writer.process().destroyForcibly());
        }
        Map<String, Long> expected = new HashMap<>();
        for (Writer writer : live) {
            for (int t = 0; t < THREADS; t++) {
                expected.put(writer.name() + " T" + t, writer.returned(t));
            }
        }
        assertEquals(List.of(), reportsOfKilled, "killed writers reported errors before they died (seed " + seed + ")");
        List<Path> files = LogVerifier.filesOldestFirst(log, BACKUPS);
        assertTrue(files.size() > 20, "the writers must rotate many times: " + files.size() + " files");
        int unfinished = LogVerifier.verifyAfterKills(files, expected, returnedByKilled);
        System.out.printf("%d kills (seed %d): %d files, %d records of survivors, %d returned by killed writers, "
                + "%d unfinished lines of killed writers, each on a line of its own%n", KILLS, seed, files.size(),
                expected.values().stream().mapToLong(Long::longValue).sum(),
                returnedByKilled.values().stream().mapToLong(Long::longValue).sum(), unfinished);
    }

    private Writer start(WriterJvms jvms, Path properties, String name) throws IOException {
        Path progressFile = dir.resolve(name + ".progress");
        MappedByteBuffer progress;
        try (FileChannel channel = FileChannel.open(progressFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            progress = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) THREADS * Long.BYTES);
        }
        Process process = jvms.start(properties, name, THREADS, -1, 1, progressFile);
        jvms.awaitReady(process, name);
        WriterJvms.send(process, "go");
        return new Writer(name, process, progress);
    }

    /** Waits until every writer has returned from {@code records} more publish calls than now. */
    private static void awaitEachAdvances(List<Writer> writers, long records) {
        long[] targets = new long[writers.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = writers.get(i).returned() + records;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < targets.length; i++) {
            Writer writer = writers.get(i);
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

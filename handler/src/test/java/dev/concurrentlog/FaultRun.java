package dev.concurrentlog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One run of the fault suites: {@value #JVMS} writer JVMs x {@value #THREADS} threads write one log that rotates by
 * size (64 KiB), by time (a per-minute suffix, compressed with gzip) and prunes by {@code maxHistory}. Every JVM carries
 * the same Byteman rules (see {@link FaultPoint}); the first to reach the point takes the fault. The writers' clocks are
 * skewed so that a minute begins {@value #BOUNDARY_AFTER_MILLIS} ms after they start, so each run also rotates by time.
 * The writers never compare the open file with the one at the path by its identity ({@link #TRUST_OPEN_FILE}): what
 * rotation gets right must follow from the state the processes share, not from a check that runs every 10 ms.
 * Once the fault has fired (or the boundary has passed without it), and the boundary has passed, the others write on
 * for two more seconds, then
 * every live writer is stopped and closes its handler, and what is left is checked:
 * <ul>
 * <li>every record whose publish returned is there, once, whole and in order; a killed writer's records form a prefix
 * of what it published;</li>
 * <li>every backup sits where its name says: no record in the backup of a minute before its own;</li>
 * <li>the minute that ended has its one time backup (each rotation happened once);</li>
 * <li>no raw backup, parked file or temporary file is left, and the backup {@code maxHistory} prunes is gone.</li>
 * </ul>
 */
final class FaultRun {

    static final int JVMS = 4;
    static final int THREADS = 2;
    static final String SUFFIX = ".yyyy-MM-dd-HH-mm";
    static final long BOUNDARY_AFTER_MILLIS = 3_000;
    private static final int DATE_LENGTH = SUFFIX.length() - 1;
    private static final long MINUTE = 60_000;
    /** A backup of a period long gone, which {@code maxHistory} deletes. */
    private static final String OLD_BACKUP = "app.log.2020-01-01-00-00.1.gz";

    /** A rule that makes every handler of a writer JVM trust its open file for an hour (see the class comment). */
    static final String TRUST_OPEN_FILE = "RULE trust the open file for an hour\nCLASS " + Timings.class.getName()
            + "\nMETHOD <init>\nAT EXIT\nIF true\nDO $0.identityCheckNanos = 3600000000000L\nENDRULE\n";

    /**
     * What a run found: whether the point was reached, the writer that took the fault, and of the other writers' threads
     * the longest publish (ms) and how many took {@code lockTimeout} or longer; the error reports of each writer.
     */
    record Outcome(boolean fired, String faulted, Map<String, Long> longestPublishMillis,
            Map<String, Long> slowPublishes, Map<String, Integer> reports) {
    }

    private final Path dir;
    private final Path log;
    private final FaultPoint.Fault fault;
    private final long lockTimeoutMillis;

    FaultRun(Path dir, FaultPoint.Fault fault, long lockTimeoutMillis) {
        this.dir = dir;
        this.log = dir.resolve("app.log");
        this.fault = fault;
        this.lockTimeoutMillis = lockTimeoutMillis;
    }

    Path log() {
        return log;
    }

    /** Runs the writers with {@code rules} and checks what they left; see the class comment. */
    Outcome run(String rules) throws Exception {
        try (OutputStream old = new GZIPOutputStream(Files.newOutputStream(dir.resolve(OLD_BACKUP)))) {
            old.flush();
        }
        Path script = Files.writeString(dir.resolve("rules.btm"), rules + TRUST_OPEN_FILE);
        Path flag = dir.resolve("fault.fired");
        Path skewFile = dir.resolve("clock.skew");
        WriterJvms jvms = new WriterJvms(dir, log)
                .property("suffix", SUFFIX + ".gz")
                .property("timeZone", "UTC")
                .property("rotateSize", "64k")
                .property("maxBackupIndex", "10000")
                .property("maxHistory", "5")
                .property("lockTimeout", lockTimeoutMillis + "ms")
                .jvmOption(BytemanAgent.option(script))
                .jvmOption("-Dfaultpoint.flag=" + flag)
                .jvmOption("-Dwriter.timed=true")
                .jvmOption("-Dwriter.pauseMicros=500")
                .jvmOption("-Dwriter.clockSkewFile=" + skewFile)
                .jvmOption("-Dwriter.slowMillis=" + lockTimeoutMillis);
        if (fault == null) {
            jvms.jvmOption("-Dfaultpoint.census=" + dir);
        }
        Path properties = jvms.loggingProperties(1);
        List<WriterJvms.Running> writers = new ArrayList<>();
        Map<String, Long> returnedByKilled = new LinkedHashMap<>();
        Map<String, Long> longest = new LinkedHashMap<>();
        Map<String, Long> slow = new LinkedHashMap<>();
        Map<String, Integer> reports = new LinkedHashMap<>();
        String faulted = null;
        long boundary;
        try {
            for (int j = 0; j < JVMS; j++) {
                writers.add(jvms.startRunning(properties, "w" + j, THREADS));
            }
            long realBoundary = System.currentTimeMillis() + BOUNDARY_AFTER_MILLIS;
            boundary = (realBoundary + MINUTE - 1) / MINUTE * MINUTE; // the writers' clocks: a minute begins then
            Files.writeString(skewFile, Long.toString(boundary - realBoundary));
            for (WriterJvms.Running writer : writers) {
                writer.jvm().go();
            }
            awaitFiredOrPast(flag, realBoundary + 2_000, writers);
            awaitFiredOrPast(dir.resolve("never"), realBoundary + 1_000, writers); // the others write across it
            awaitEachAdvances(writers, 2_000 + (fault == FaultPoint.Fault.STALL ? 2 * lockTimeoutMillis : 0));
            // read once every writer went on: a point reached late in the run fired by now too
            String pid = Files.exists(flag) ? Files.readString(flag).trim() : "";
            for (WriterJvms.Running writer : writers) {
                if (pid.equals(Long.toString(writer.process().pid()))) {
                    faulted = writer.name();
                }
            }
            for (WriterJvms.Running writer : writers) {
                if (!writer.process().isAlive()) {
                    assertTrue(writer.process().waitFor(1, TimeUnit.MINUTES));
                    assertEquals(255, writer.process().exitValue(), writer.name() + " died, but not by the rule: "
                            + writer.jvm().said());
                    writer.addReturned(returnedByKilled);
                    faulted = writer.name();
                    continue;
                }
                writer.jvm().stop();
                int exit = writer.jvm().awaitExit(Duration.ofMinutes(2));
                if (exit == 255 && fault == FaultPoint.Fault.KILL) {
                    // the point was first reached while it closed its handler: killed there
                    writer.addReturned(returnedByKilled);
                    faulted = writer.name();
                    continue;
                }
                String said = writer.jvm().said();
                reports.put(writer.name(), said.split("ERROR REPORT", -1).length - 1);
                assertTrue(exit == 0 || exit == 3 && fault != FaultPoint.Fault.KILL, writer.name() + " exited " + exit
                        + " (3: its error manager saw a report): " + said);
                for (int t = 0; t < THREADS; t++) {
                    if (!writer.name().equals(faulted)) {
                        longest.put(writer.name() + " T" + t,
                                TimeUnit.NANOSECONDS.toMillis(writer.longestPublishNanos(t)));
                        slow.put(writer.name() + " T" + t, writer.slowPublishes(t));
                    }
                }
            }
        } finally {
            writers.forEach(writer -> writer.process().destroyForcibly());
        }
        Map<String, Long> expected = new HashMap<>();
        writers.stream().filter(writer -> !returnedByKilled.containsKey(writer.name() + " T0"))
                .forEach(writer -> writer.addReturned(expected));
        // a writer past lockTimeout, or whose lock call failed, writes without the lock and without rotating, and a
        // refused time rotation keeps the next period's records in the file (each said so): a rotation that goes
        // through later names those records by the period before theirs, a limit (guarantees.md); they are counted,
        // not failed
        boolean unlockedWrites = fault != FaultPoint.Fault.KILL
                && reports.values().stream().mapToInt(Integer::intValue).sum() > 0;
        int early = verify(expected, returnedByKilled, boundary, unlockedWrites);
        if (early > 0) {
            System.out.printf("%d record(s) are in the backup of the minute before theirs (written without the lock, "
                    + "or kept by a refused rotation)%n", early);
        }
        return new Outcome(Files.exists(flag), faulted, longest, slow, reports);
    }

    /**
     * The census of a run with {@link FaultPoint#censusRules()}: for each site reached, the most calls any one writer
     * JVM made there.
     */
    Map<String, Integer> census() throws IOException {
        Map<String, Integer> calls = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("census-")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] words = line.split(" ");
                    calls.merge(words[0], Integer.parseInt(words[1]), Math::max);
                }
            }
        }
        return calls;
    }

    /** @return how many records are in the backup of a period before theirs (only if {@code unlockedWrites}) */
    private int verify(Map<String, Long> expected, Map<String, Long> returnedByKilled, long boundary,
            boolean unlockedWrites) throws IOException {
        int early = 0;
        RotationSuffix suffix = RotationSuffix.parse("suffix", SUFFIX + ".gz", ZoneId.of("UTC"));
        List<Path> files = LogFiles.oldestFirst(log, DATE_LENGTH);
        files.remove(dir.resolve(OLD_BACKUP));
        new LogCheck().expect(expected).expectKilledTimed(returnedByKilled).check(files).assertOk();
        List<String> timeBackups = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertTrue(file.equals(log) || name.endsWith(".gz"), "uncompressed or parked file left: " + name);
            Optional<LogFiles.BackupName> backup = LogFiles.backupName(log, file, DATE_LENGTH);
            long filePeriod = backup.isEmpty() ? Long.MAX_VALUE : suffix.periodNamed("." + backup.get().date());
            if (backup.isPresent() && backup.get().index() == 0) {
                timeBackups.add(name);
            }
            for (String line : LogFiles.readLines(file)) {
                RecordFormat.Fields record = RecordFormat.parse(line);
                if (record != null && record.intact() && suffix.periodStart(record.time()) > filePeriod) {
                    assertTrue(unlockedWrites, "a record of " + record.time() + " in the earlier file " + name + ": "
                            + line);
                    early++;
                }
            }
        }
        String ended = "app.log" + suffix.dateText(boundary - 1) + ".gz";
        assertEquals(1, timeBackups.stream().filter(ended::equals).count(),
                "the minute that ended has one time backup, " + ended + ": " + timeBackups);
        assertTrue(Files.notExists(dir.resolve(OLD_BACKUP)), "maxHistory did not prune " + OLD_BACKUP);
        try (Stream<Path> hidden = Files.list(dir)) {
            List<String> leftovers = hidden.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".app.log") && !n.equals(".app.log.lock")).toList();
            assertEquals(List.of(), leftovers, "temporary files left behind");
        }
        return early;
    }

    /** Waits until the fault has fired (its flag file exists) or the wall clock passes {@code millis}. */
    private static void awaitFiredOrPast(Path flag, long millis, List<WriterJvms.Running> writers) {
        while (!Files.exists(flag) && System.currentTimeMillis() < millis) {
            for (WriterJvms.Running writer : writers) {
                if (!writer.process().isAlive() && writer.process().exitValue() != 255) {
                    fail(writer.name() + " died: " + writer.jvm().said());
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Waits {@code millis}, then until each live writer has published at least once more. */
    private static void awaitEachAdvances(List<WriterJvms.Running> writers, long millis) {
        Map<String, Long> before = new HashMap<>();
        writers.forEach(writer -> before.put(writer.name(), writer.returned()));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (WriterJvms.Running writer : writers) {
            while (writer.process().isAlive() && writer.returned() <= before.get(writer.name())) {
                assertTrue(System.nanoTime() < deadline, writer.name() + " stopped writing");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }
}

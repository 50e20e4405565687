package dev.concurrentlog.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a log can be wrong makes the check fail, and a right one passes. */
class LogCheckTest {

    @TempDir
    Path dir;

    /** Two writer threads of 50 records each, interleaved. */
    private static List<String> records() {
        List<String> lines = new ArrayList<>();
        for (int sequence = 0; sequence < 50; sequence++) {
            lines.add(RecordFormat.record("a", 0, sequence, 40));
            lines.add(RecordFormat.record("a", 1, sequence, 40));
        }
        return lines;
    }

    private LogCheck.Result check(UnaryOperator<List<String>> change) throws IOException {
        List<String> lines = change.apply(new ArrayList<>(records()));
        Path log = dir.resolve("app.log");
        Files.write(dir.resolve("app.log.1"), lines.subList(0, 40));
        Files.write(log, lines.subList(40, lines.size()));
        return new LogCheck().expectWriter("a", 2, 50).check(LogFiles.oldestFirst(log));
    }

    @Test
    void intactRecordsEachOnceInOrderPass() throws IOException {
        LogCheck.Result result = check(lines -> lines);
        assertTrue(result.ok(), result.problems().toString());
        assertEquals(100, result.found());
        assertEquals(Map.of("a T0", 50L, "a T1", 50L), result.records());
        result.assertOk();
        LogCheck.verify(LogFiles.oldestFirst(dir.resolve("app.log")), Map.of("a T0", 50L, "a T1", 50L));
    }

    /** Asserts that the check of the log changed by {@code change} fails: these counts, and this first problem. */
    private void assertFails(UnaryOperator<List<String>> change, long lost, long duplicated, long torn,
            String firstProblem) throws IOException {
        LogCheck.Result result = check(change);
        assertEquals(List.of(lost, duplicated, torn), List.of(result.lost(), result.duplicated(), result.torn()),
                "lost, duplicated, torn: " + result.problems());
        assertTrue(result.problems().get(0).contains(firstProblem), result.problems().toString());
        assertThrows(AssertionError.class, result::assertOk);
    }

    @Test
    void aLostRecordFailsByItsSuccessorOrByTheCount() throws IOException {
        assertFails(lines -> {
            lines.remove(RecordFormat.record("a", 1, 20, 40));
            return lines;
        }, 1, 0, 0, "writer a T1 has sequence 21 where 20 was expected (lost or reordered)");
        assertFails(lines -> lines.subList(0, lines.size() - 1), 1, 0, 0, "writer a T1 wrote 50 records, found 49");
    }

    @Test
    void aDuplicatedOrReorderedRecordFails() throws IOException {
        assertFails(lines -> {
            lines.add(60, lines.get(10));
            return lines;
        }, 0, 1, 0, "app.log:21 writer a T0 has sequence 5 again (duplicated), where 30 was expected");
        assertFails(lines -> {
            lines.add(30, lines.remove(32));
            return lines;
        }, 0, 0, 0, "app.log.1:31 writer a T0 has sequence 16 where 15 was expected (lost or reordered)");
    }

    @Test
    void recordsInTheWrongFileOrderFail() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = records();
        Files.write(dir.resolve("app.log.1"), lines.subList(0, 40));
        Files.write(log, lines.subList(40, lines.size()));
        assertFalse(new LogCheck().expectWriter("a", 2, 50).check(List.of(log, dir.resolve("app.log.1"))).ok());
    }

    @Test
    void tornMergedAndCorruptLinesFail() throws IOException {
        Map<UnaryOperator<String>, String> damages = Map.of(
                line -> line.substring(0, 30), "app.log:16 is torn or merged: Wa T1 S27 ",
                line -> line.substring(0, 30) + RecordFormat.record("a", 9, 0, 40), "app.log:16 is torn or merged",
                line -> line.replace('q', 'r'), "app.log:16 fails its checksum: Wa T1 S27 ",
                line -> "", "app.log:16 is torn or merged: ");
        for (Map.Entry<UnaryOperator<String>, String> damage : damages.entrySet()) {
            assertFails(lines -> {
                lines.add(55, damage.getKey().apply(lines.get(55)));
                return lines;
            }, 0, 0, 1, damage.getValue());
        }
    }

    @Test
    void anUnexpectedWriterOrCountFails() throws IOException {
        Path log = dir.resolve("app.log");
        Files.write(log, records());
        assertEquals(List.of("records from unknown writer a T1"),
                new LogCheck().expect("a T0", 50).check(List.of(log)).problems());
        assertEquals(List.of("writer a T0 wrote 51 records, found 50"),
                new LogCheck().expect("a T0", 51).expect("a T1", 50).check(List.of(log)).problems());
        assertTrue(new LogCheck().anyWriter().check(List.of(log)).ok());
        assertEquals(Map.of("a T0", 50L, "a T1", 50L), LogCheck.countRecords(List.of(log)));
    }

    @Test
    void aKilledWritersRecordMayBeWholeUnfinishedOrMissingAndNothingElse() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = returnedByKilled();
        String inFlight = RecordFormat.record("k", 0, 10, 60);
        Map<String, Long> returned = Map.of("k T0", 10L);

        Files.write(log, lines);
        assertEquals(0, LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60).unfinished());
        Files.write(log, append(lines, inFlight));
        assertEquals(0, LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60).unfinished());
        Files.write(log, append(lines, inFlight.substring(0, 25)));
        assertEquals(1, LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60).unfinished());

        Files.write(log, append(lines, RecordFormat.record("k", 0, 9, 60).substring(0, 25)));
        assertThrows(AssertionError.class, () -> LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60),
                "a prefix of a record that had returned");
        Files.write(log, lines.subList(0, 9));
        assertThrows(AssertionError.class, () -> LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60),
                "a returned record lost");
        Files.write(log, append(append(lines, inFlight), RecordFormat.record("k", 0, 11, 60)));
        assertThrows(AssertionError.class, () -> LogCheck.verifyAfterKills(List.of(log), Map.of(), returned, 60),
                "more than the one in flight");
    }

    @Test
    void aKilledWritersUnfinishedRecordMayBeFollowedOnItsLineByAWholeRecordOfAnother() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = returnedByKilled();
        String inFlight = RecordFormat.record("k", 0, 10, 60);
        String other = RecordFormat.record("o", 0, 0, 60);
        Map<String, Long> returned = Map.of("k T0", 10L);

        Files.write(log, append(lines, inFlight.substring(0, 25) + other));
        LogCheck.Result joined = new LogCheck().expect("o T0", 1).expectKilled(returned, 60)
                .check(List.of(log)).assertOk();
        assertEquals(List.of(1L, 0L, 11L), List.of(joined.joined(), joined.torn(), joined.found()));

        Files.write(log, append(lines, RecordFormat.record("k", 0, 9, 60).substring(0, 25) + other));
        assertThrows(AssertionError.class, () -> new LogCheck().expect("o T0", 1).expectKilled(returned, 60)
                .check(List.of(log)).assertOk(), "a prefix of a record that had returned, joined");
        Files.write(log, append(lines, inFlight.substring(0, 25) + other.substring(1)));
        assertThrows(AssertionError.class, () -> new LogCheck().expect("o T0", 1).expectKilled(returned, 60)
                .check(List.of(log)).assertOk(), "joined to a record that is not whole");
        Files.write(log, append(lines.subList(0, 9), lines.get(9).substring(0, 25) + other));
        assertThrows(AssertionError.class, () -> new LogCheck().expect("o T0", 1).check(List.of(log)).assertOk(),
                "joined, with no writer killed");
    }

    @Test
    void compressedBackupsAreRead() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = records();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("app.log.1.gz")))) {
            out.write((String.join("\n", lines.subList(0, 40)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(log, lines.subList(40, lines.size()));
        LogCheck.Result result = new LogCheck().expectWriter("a", 2, 50).check(LogFiles.oldestFirst(log));
        assertTrue(result.ok(), result.problems().toString());
    }

    @Test
    void inAWildFlyLogTheServersOwnLinesAreCountedAndAnythingElseIsTorn() throws IOException {
        String category = "dev.concurrentlog.load";
        String prefix = "2026-11-26 10:15:00,123 INFO  [" + category + "] (load-a-0) ";
        List<String> lines = new ArrayList<>();
        for (int sequence = 0; sequence < 5; sequence++) {
            lines.add(prefix + RecordFormat.record("a", 0, sequence, 60));
        }
        lines.add(2, "2026-11-26 10:15:00,124 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0025: started");
        lines.add(3, "java.lang.IllegalStateException: boom");
        lines.add(4, "\tat Somewhere.run(Somewhere.java:1)");
        lines.add(5, "");
        Path log = dir.resolve("server.log");
        LogCheck check = new LogCheck(LineLayout.wildFlyPattern(category)).expectWriter("a", 1, 5);

        Files.write(log, lines);
        LogCheck.Result result = check.check(List.of(log));
        assertEquals(List.of("server.log:4 is torn or merged: java.lang.IllegalStateException: boom"),
                result.problems(), "a line that is neither a record nor a server's line");
        assertEquals(3, result.otherLines());

        lines.remove(3);
        Files.write(log, lines);
        assertTrue(check.check(List.of(log)).ok());
        assertTrue(check.check(List.of(log)).table().contains("other lines (the servers' own messages): 3"));

        for (String damaged : List.of(prefix + "Wa T0 S9 x", prefix.replace("INFO ", "WARN ")
                + RecordFormat.record("a", 0, 9, 60), "2026-11-26 10:15:00,124 " + category + " half",
                prefix + RecordFormat.record("a", 0, 5, 60).replace('C', 'c'))) {
            Files.write(log, append(lines, damaged));
            assertEquals(1, check.check(List.of(log)).torn(), damaged);
        }
        Files.write(log, append(lines, prefix + RecordFormat.record("a", 0, 5, 60).replace("S5", "S6")));
        assertTrue(check.check(List.of(log)).problems().get(0).contains("fails its checksum"));
    }

    /** The ten records of writer thread {@code k T0} whose publish returned before it was killed. */
    private static List<String> returnedByKilled() {
        List<String> lines = new ArrayList<>();
        for (int sequence = 0; sequence < 10; sequence++) {
            lines.add(RecordFormat.record("k", 0, sequence, 60));
        }
        return lines;
    }

    private static List<String> append(List<String> lines, String line) {
        List<String> more = new ArrayList<>(lines);
        more.add(line);
        return more;
    }
}

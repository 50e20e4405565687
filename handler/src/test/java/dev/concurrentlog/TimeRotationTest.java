package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.LogFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time rotation with records of chosen times (a record's period is that of its own time): names, periods across
 * daylight saving time changes, late records, a stale file, the dated size chain, retention and compression.
 */
class TimeRotationTest {

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private final List<ConcurrentRotatingFileHandler> handlers = new ArrayList<>();
    private Path log;

    @AfterEach
    void closeAndCheckReports() {
        handlers.forEach(ConcurrentRotatingFileHandler::close);
        errors.assertNoUnexpected();
    }

    private ConcurrentRotatingFileHandler handler(String suffix, String zone) {
        log = dir.resolve("server.log");
        ConcurrentRotatingFileHandler handler = TestHandlers.create(log, errors);
        handler.setTimeZone(zone);
        handler.setSuffix(suffix);
        handler.setRotateSize("0");
        handlers.add(handler);
        return handler;
    }

    private static void publish(ConcurrentRotatingFileHandler handler, String instant) {
        publish(handler, instant, "");
    }

    private static void publish(ConcurrentRotatingFileHandler handler, String instant, String padding) {
        LogRecord record = new LogRecord(Level.INFO, instant + padding);
        record.setInstant(Instant.parse(instant));
        handler.publish(record);
    }

    /** Every file beside the log (the log too), by name, with its lines; compressed ones decompressed. */
    private Map<String, List<String>> files() throws IOException {
        Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".")) {
                    files.put(name, new String(contents(file), StandardCharsets.UTF_8).lines().toList());
                }
            }
        }
        return files;
    }

    /** The bytes of a log or backup, decompressed; a zip backup must hold the log under its name, alone. */
    private static byte[] contents(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".zip")) {
            assertEquals(List.of("server.log"), LogFiles.zipEntryNames(file), "the entries of " + file.getFileName());
        }
        return LogFiles.readBytes(file);
    }

    @Test
    void recordsGoToTheFileOfTheirDayAndIdleDaysMakeNoFile() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        publish(handler, "2026-11-20T10:00:00Z");
        publish(handler, "2026-11-20T23:59:59.999Z");
        publish(handler, "2026-11-21T00:00:00Z");
        publish(handler, "2026-11-21T12:00:00Z");
        publish(handler, "2026-11-24T09:00:00Z");
        assertEquals(Map.of(
                "server.log.2026-11-20", List.of("2026-11-20T10:00:00Z", "2026-11-20T23:59:59.999Z"),
                "server.log.2026-11-21", List.of("2026-11-21T00:00:00Z", "2026-11-21T12:00:00Z"),
                "server.log", List.of("2026-11-24T09:00:00Z")), files());
    }

    @Test
    void aLateRecordGoesIntoTheCurrentFileThePeriodNeverMovesBack() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        publish(handler, "2026-11-20T10:00:00Z");
        publish(handler, "2026-11-21T10:00:00Z");
        publish(handler, "2026-11-20T23:00:00Z"); // late, or a clock stepped back
        publish(handler, "2026-11-21T11:00:00Z");
        assertEquals(Map.of(
                "server.log.2026-11-20", List.of("2026-11-20T10:00:00Z"),
                "server.log", List.of("2026-11-21T10:00:00Z", "2026-11-20T23:00:00Z", "2026-11-21T11:00:00Z")),
                files());
    }

    // the files written; RotationSuffixTest.hourlyAcrossTheFallBackInBerlin...: the periods and names alone
    @Test
    void hourlyAcrossTheFallBackInBerlinKeepsBothHoursNamedTwo() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd-HH", "Europe/Berlin");
        // 00:30Z = 02:30 CEST, 01:30Z = 02:30 CET: the local hour 02 twice
        for (String time : List.of("2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z",
                "2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z", "2026-10-25T02:30:00Z")) {
            publish(handler, time);
        }
        // the hour's newest file takes its name, the first 02 goes into its chain, as its oldest
        assertEquals(Map.of(
                "server.log.2026-10-25-01", List.of("2026-10-24T23:30:00Z"),
                "server.log.2026-10-25-02.1", List.of("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z"),
                "server.log.2026-10-25-02", List.of("2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z"),
                "server.log", List.of("2026-10-25T02:30:00Z")), files());
    }

    // a size rotation and then a time rotation in one batch, in the repeated hour: the size chain is shifted first
    @Test
    void aBatchThatRotatesBySizeThenByTimeInTheRepeatedHourKeepsEveryBackup() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd-HH", "Europe/Berlin");
        handler.setRotateSize("1k");
        handler.setMaxBackupIndex(10);
        String padding = "x".repeat(600);
        publish(handler, "2026-10-25T00:30:00Z"); // 02:30 CEST
        publish(handler, "2026-10-25T01:10:00Z", padding); // 02:10 CET: the hour named 02 again
        publish(handler, "2026-10-25T01:20:00Z", padding); // a size rotation
        handler.setAutoFlush(false);
        publish(handler, "2026-10-25T01:30:00Z", padding); // buffered: a size rotation...
        publish(handler, "2026-10-25T02:10:00Z"); // ...and a time rotation, in one batch
        handler.flush();
        // newest to oldest: the name without an index, then .1, .2, .3
        assertEquals(Map.of(
                "server.log.2026-10-25-02", List.of("2026-10-25T01:30:00Z" + padding),
                "server.log.2026-10-25-02.1", List.of("2026-10-25T01:20:00Z" + padding),
                "server.log.2026-10-25-02.2", List.of("2026-10-25T01:10:00Z" + padding),
                "server.log.2026-10-25-02.3", List.of("2026-10-25T00:30:00Z"),
                "server.log", List.of("2026-10-25T02:10:00Z")), files());
    }

    // the files written; RotationSuffixTest.hourlyAcrossTheSpringForwardInBerlin...: the periods and names alone
    @Test
    void hourlyAcrossTheSpringForwardInBerlin() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd-HH", "Europe/Berlin");
        publish(handler, "2026-03-29T00:30:00Z"); // 01:30 CET
        publish(handler, "2026-03-29T01:30:00Z"); // 03:30 CEST
        publish(handler, "2026-03-29T02:30:00Z"); // 04:30 CEST
        assertEquals(Map.of(
                "server.log.2026-03-29-01", List.of("2026-03-29T00:30:00Z"),
                "server.log.2026-03-29-03", List.of("2026-03-29T01:30:00Z"),
                "server.log", List.of("2026-03-29T02:30:00Z")), files());
    }

    // the files written; RotationSuffixTest.daily...InBerlin... and ...InSaoPaulo...: the periods alone
    @Test
    void dailyAcrossBerlinsChangesAndSaoPaulosMidnightChanges() throws IOException {
        ConcurrentRotatingFileHandler berlin = handler(".yyyy-MM-dd", "Europe/Berlin");
        publish(berlin, "2026-10-24T22:30:00Z"); // 00:30 CEST on the 25th
        publish(berlin, "2026-10-25T22:30:00Z"); // 23:30 CET on the 25th, a 25-hour day
        publish(berlin, "2026-10-25T23:30:00Z"); // 00:30 on the 26th
        assertEquals(Map.of(
                "server.log.2026-10-25", List.of("2026-10-24T22:30:00Z", "2026-10-25T22:30:00Z"),
                "server.log", List.of("2026-10-25T23:30:00Z")), files());
        berlin.close();

        Path berlinDir = dir;
        dir = Files.createDirectory(berlinDir.resolve("sao-paulo"));
        ConcurrentRotatingFileHandler saoPaulo = handler(".yyyy-MM-dd", "America/Sao_Paulo");
        publish(saoPaulo, "2018-11-04T02:30:00Z"); // 23:30 -03:00 on the 3rd
        publish(saoPaulo, "2018-11-04T03:00:00Z"); // 01:00 -02:00 on the 4th: midnight did not exist
        publish(saoPaulo, "2019-02-17T01:30:00Z"); // 23:30 -02:00 on the 16th
        publish(saoPaulo, "2019-02-17T02:30:00Z"); // 23:30 -03:00 on the 16th again: the 16th lasted 25 hours
        publish(saoPaulo, "2019-02-17T03:00:00Z"); // 00:00 -03:00 on the 17th
        assertEquals(Map.of(
                "server.log.2018-11-03", List.of("2018-11-04T02:30:00Z"),
                "server.log.2018-11-04", List.of("2018-11-04T03:00:00Z"),
                "server.log.2019-02-16", List.of("2019-02-17T01:30:00Z", "2019-02-17T02:30:00Z"),
                "server.log", List.of("2019-02-17T03:00:00Z")), files());
    }

    @Test
    void weeklyAndMonthlySuffixes() throws IOException {
        ConcurrentRotatingFileHandler monthly = handler(".yyyy-MM", "UTC");
        publish(monthly, "2026-01-31T23:59:00Z");
        publish(monthly, "2026-02-01T00:00:00Z");
        publish(monthly, "2026-03-15T00:00:00Z");
        assertEquals(Map.of(
                "server.log.2026-01", List.of("2026-01-31T23:59:00Z"),
                "server.log.2026-02", List.of("2026-02-01T00:00:00Z"),
                "server.log", List.of("2026-03-15T00:00:00Z")), files());
        monthly.close();

        dir = Files.createDirectory(dir.resolve("weekly"));
        ConcurrentRotatingFileHandler weekly = handler(".yyyy-ww", "UTC");
        RotationSuffix suffix = RotationSuffix.parse("suffix", ".yyyy-ww", java.time.ZoneId.of("UTC"));
        List<String> times = new ArrayList<>();
        for (long t = Instant.parse("2026-11-01T12:00:00Z").toEpochMilli(); times.size() < 21; t += 86_400_000L) {
            times.add(Instant.ofEpochMilli(t).toString());
        }
        times.forEach(time -> publish(weekly, time));
        Map<String, List<String>> files = files();
        List<String> current = files.remove("server.log");
        String lastWeek = suffix.dateText(Instant.parse(times.get(20)).toEpochMilli());
        current.forEach(line -> assertEquals(lastWeek, suffix.dateText(Instant.parse(line).toEpochMilli()), line));
        assertEquals(2, files.size(), files.toString());
        files.forEach((name, lines) -> lines.forEach(line -> assertEquals("server.log"
                + suffix.dateText(Instant.parse(line).toEpochMilli()), name, line + " in the file of its week")));
        assertEquals(21, current.size() + files.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void theTimeZoneAppliesWhetherSetBeforeOrAfterTheSuffix() throws IOException {
        log = dir.resolve("server.log");
        ConcurrentRotatingFileHandler zoneFirst = TestHandlers.create(log, errors);
        handlers.add(zoneFirst);
        zoneFirst.setTimeZone("Asia/Tokyo");
        zoneFirst.setSuffix(".yyyy-MM-dd");
        ConcurrentRotatingFileHandler suffixFirst = TestHandlers.create(dir.resolve("other.log"), errors);
        handlers.add(suffixFirst);
        suffixFirst.setSuffix(".yyyy-MM-dd");
        suffixFirst.setTimeZone("Asia/Tokyo");
        for (ConcurrentRotatingFileHandler handler : handlers) {
            assertEquals("Asia/Tokyo", handler.getTimeZone());
            assertEquals(".yyyy-MM-dd", handler.getSuffix());
            publish(handler, "2026-11-20T14:00:00Z"); // 23:00 on the 20th in Tokyo
            publish(handler, "2026-11-20T15:00:00Z"); // 00:00 on the 21st
        }
        Map<String, List<String>> files = files();
        assertEquals(List.of("2026-11-20T14:00:00Z"), files.get("server.log.2026-11-20"));
        assertEquals(List.of("2026-11-20T14:00:00Z"), files.get("other.log.2026-11-20"));
    }

    // time rotation of a stale file; ConcurrentRotatingFileHandlerTest.rotateOnBootWithATimeSuffix...: rotateOnBoot
    @Test
    void aStaleFileAtStartRotatesOnceNamedByItsLastModifiedTime() throws IOException {
        log = dir.resolve("server.log");
        Files.writeString(log, "from an earlier run\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2026-11-20T10:00:00Z")));
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        publish(handler, "2026-11-26T08:00:00Z");
        publish(handler, "2026-11-26T09:00:00Z");
        assertEquals(Map.of(
                "server.log.2026-11-20", List.of("from an earlier run"),
                "server.log", List.of("2026-11-26T08:00:00Z", "2026-11-26T09:00:00Z")), files());
    }

    @Test
    void anEmptyFileTakesThePeriodOfItsFirstRecord() throws IOException {
        log = dir.resolve("server.log");
        Files.createFile(log);
        Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2026-11-20T10:00:00Z")));
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        publish(handler, "2026-11-26T08:00:00Z");
        publish(handler, "2026-11-27T08:00:00Z");
        assertEquals(Map.of(
                "server.log.2026-11-26", List.of("2026-11-26T08:00:00Z"),
                "server.log", List.of("2026-11-27T08:00:00Z")), files());
    }

    @Test
    void sizeRotationsWithinAPeriodFillTheDatedChainAsWildFlyNamesIt() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        TestHandlers.rotateAt(handler, "100", 2);
        String padding = " " + "x".repeat(50); // each record 72 bytes: one a file
        for (int minute = 10; minute < 15; minute++) {
            publish(handler, "2026-11-20T10:" + minute + ":00Z", padding);
        }
        publish(handler, "2026-11-21T10:00:00Z", padding);
        assertEquals(Map.of(
                "server.log.2026-11-20.2", List.of("2026-11-20T10:12:00Z" + padding),
                "server.log.2026-11-20.1", List.of("2026-11-20T10:13:00Z" + padding),
                "server.log.2026-11-20", List.of("2026-11-20T10:14:00Z" + padding),
                "server.log", List.of("2026-11-21T10:00:00Z" + padding)), files());
    }

    @Test
    void rotateSizeZeroOrMaxBackupIndexZeroRotateByTimeOnly() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        String padding = " " + "x".repeat(5000);
        publish(handler, "2026-11-20T10:00:00Z", padding);
        publish(handler, "2026-11-20T11:00:00Z", padding);
        handler.setRotateSize("1k");
        handler.setMaxBackupIndex(0);
        publish(handler, "2026-11-20T12:00:00Z", padding);
        publish(handler, "2026-11-21T10:00:00Z");
        Map<String, List<String>> files = files();
        assertEquals(2, files.size(), files.keySet().toString());
        assertEquals(3, files.get("server.log.2026-11-20").size());
    }

    @Test
    void maxHistoryKeepsTheBackupsOfTheLastPeriodsInEveryForm() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd", "UTC");
        handler.setMaxHistory(2);
        TestHandlers.rotateAt(handler, "100", 5);
        Files.writeString(dir.resolve("server.log.2026-11-19.gz"), "an old compressed backup");
        Files.writeString(dir.resolve("server.log.2026-11-19.3"), "an old size backup");
        Files.writeString(dir.resolve("server.log.unrelated"), "not a backup");
        String padding = " " + "x".repeat(50);
        for (int day = 20; day <= 24; day++) {
            publish(handler, "2026-11-" + day + "T10:00:00Z", padding);
            publish(handler, "2026-11-" + day + "T11:00:00Z", padding);
        }
        assertEquals(List.of("server.log", "server.log.2026-11-22", "server.log.2026-11-22.1",
                "server.log.2026-11-23", "server.log.2026-11-23.1", "server.log.2026-11-24.1", "server.log.unrelated"),
                List.copyOf(files().keySet()));
    }

    @Test
    void aCyclicSuffixReplacesTheFileOfTheSameNameFromTheLastTurn() throws IOException {
        ConcurrentRotatingFileHandler handler = handler(".dd", "UTC");
        publish(handler, "2026-10-20T10:00:00Z");
        publish(handler, "2026-10-21T10:00:00Z");
        publish(handler, "2026-11-20T10:00:00Z");
        publish(handler, "2026-11-21T10:00:00Z");
        assertEquals(Map.of(
                "server.log.20", List.of("2026-11-20T10:00:00Z"),
                "server.log.21", List.of("2026-10-21T10:00:00Z"),
                "server.log", List.of("2026-11-21T10:00:00Z")), files());
    }

    @Test
    void gzipAndZipBackupsHoldExactlyWhatWasWrittenAndCloseLeavesNoRawOrTemporaryFile() throws IOException {
        for (String extension : List.of(".gz", ".zip")) {
            dir = Files.createDirectories(dir.resolve(extension.substring(1)));
            ConcurrentRotatingFileHandler handler = handler(".yyyy-MM-dd" + extension, "UTC");
            TestHandlers.rotateAt(handler, "2k", 100);
            StringBuilder written = new StringBuilder();
            for (int day = 20; day <= 22; day++) {
                for (int i = 0; i < 100; i++) {
                    String time = "2026-11-" + day + "T10:00:" + String.format("%02d.%03dZ", i / 10, i);
                    publish(handler, time, " record " + i);
                    written.append(time).append(" record ").append(i).append('\n');
                }
            }
            handler.close();
            List<String> names = new ArrayList<>();
            try (Stream<Path> list = Files.list(dir)) {
                list.forEach(file -> names.add(file.getFileName().toString()));
            }
            assertTrue(names.stream().allMatch(name -> name.equals("server.log") || name.startsWith(".server.log")
                    && name.endsWith(".lock") || name.endsWith(extension)), names.toString());
            assertTrue(names.contains("server.log.2026-11-20" + extension), names.toString());
            assertTrue(names.contains("server.log.2026-11-21.1" + extension), names.toString());
            // oldest first: the dated backups by day, each day's size chain from its highest index down, then the day
            StringBuilder read = new StringBuilder();
            for (int day = 20; day <= 22; day++) {
                for (int index = 100; index >= 0; index--) {
                    Path backup = dir.resolve("server.log.2026-11-" + day + (index == 0 ? "" : "." + index) + extension);
                    if (Files.exists(backup)) {
                        read.append(new String(contents(backup), StandardCharsets.UTF_8));
                    }
                }
            }
            read.append(Files.readString(dir.resolve("server.log")));
            assertArrayEquals(written.toString().getBytes(StandardCharsets.UTF_8),
                    read.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}

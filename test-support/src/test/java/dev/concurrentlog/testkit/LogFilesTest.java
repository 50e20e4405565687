package dev.concurrentlog.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSizeChainIsOrderedFromItsHighestIndexAndLeavesOutWhatIsNoBackup() throws IOException {
        Path log = dir.resolve("app.log");
        for (String name : List.of("app.log", "app.log.1", "app.log.2", "app.log.10", "app.log.3.gz", "app.log.4.zip",
                "app.log.old", "app.log.0", ".app.log.lock", "app.log.2026-11-26", "other.log.5", "app.log.rotating",
                "app.log.rotating.12", "app.log.rotating.7", "app.log.rotating.x")) {
            Files.writeString(dir.resolve(name), name);
        }
        assertEquals(names("app.log.10", "app.log.4.zip", "app.log.3.gz", "app.log.2", "app.log.1", "app.log.rotating",
                "app.log.rotating.7", "app.log.rotating.12", "app.log"),
                LogFiles.oldestFirst(log));
        assertEquals(List.of(), LogFiles.oldestFirst(dir.resolve("missing/app.log")));
    }

    @Test
    void aDatedChainIsOrderedByDateThenEachDatesSizeChainThenItsTimeBackup() throws IOException {
        Path log = dir.resolve("server.log");
        for (String name : List.of("server.log", "server.log.2026-11-26-10-16.gz", "server.log.2026-11-26-10-15",
                "server.log.2026-11-26-10-15.2", "server.log.2026-11-26-10-15.1", "server.log.2026-11-26-10-16.1.gz",
                "server.log.7", "server.log.2026-11-26-10-15.rotating")) {
            Files.writeString(dir.resolve(name), name);
        }
        assertEquals(names("server.log.2026-11-26-10-15.2", "server.log.2026-11-26-10-15.1",
                "server.log.2026-11-26-10-15.rotating", "server.log.2026-11-26-10-15", "server.log.2026-11-26-10-16.1.gz", "server.log.2026-11-26-10-16.gz",
                "server.log"), LogFiles.oldestFirst(log, "yyyy-MM-dd-HH-mm".length()));
        assertEquals(new LogFiles.BackupName("2026-11-26-10-16", 1, ".gz"),
                LogFiles.backupName(log, dir.resolve("server.log.2026-11-26-10-16.1.gz"), 16).orElseThrow());
    }

    @Test
    void linesAreReadThroughGzipAndZip() throws IOException {
        Files.writeString(dir.resolve("a.log"), "one\ntwo\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("a.log.1.gz")))) {
            out.write("three\nfour\n".getBytes(StandardCharsets.UTF_8));
        }
        zip(dir.resolve("a.log.2.zip"), "a.log");
        assertEquals(List.of("one", "two"), LogFiles.readLines(dir.resolve("a.log")));
        assertEquals(List.of("three", "four"), LogFiles.readLines(dir.resolve("a.log.1.gz")));
        assertEquals(List.of("five"), LogFiles.readLines(dir.resolve("a.log.2.zip")));
        assertEquals(List.of("a.log"), LogFiles.zipEntryNames(dir.resolve("a.log.2.zip")));
    }

    @Test
    void aZipOfTwoEntriesOrNoneIsAnError() throws IOException {
        zip(dir.resolve("two.zip"), "a", "b");
        assertThrows(IOException.class, () -> LogFiles.readLines(dir.resolve("two.zip")));
        zip(dir.resolve("none.zip"));
        assertThrows(IOException.class, () -> LogFiles.readLines(dir.resolve("none.zip")));
    }

    private static void zip(Path file, String... entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("five\n".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    private List<Path> names(String... names) {
        return java.util.Arrays.stream(names).map(dir::resolve).toList();
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backup names: a size chain holding both forms, a backup found again after shifts, what counts as a backup. */
class BackupRotatorTest {

    @TempDir
    Path dir;

    @Test
    void aSizeRotationShiftsRawAndCompressedBackupsTogetherAndDeletesTheLastSlotInBothForms() throws IOException {
        Path log = write("app.log=live", "app.log.1=one raw", "app.log.1.gz=one compressed", "app.log.2.gz=two",
                "app.log.3=three raw", "app.log.3.gz=three compressed", "app.log.2026-11-25.1=another base");
        assertEquals(dir.resolve("app.log.1"), rotateBySize(log, 3));
        assertEquals(List.of("app.log.1=live", "app.log.2=one raw", "app.log.2.gz=one compressed",
                "app.log.2026-11-25.1=another base", "app.log.3.gz=two"), contents());
    }

    // a process that died between parking the file and shifting the backups left app.log.rotating
    @Test
    void aFileLeftParkedBecomesTheNewestBackupBeforeTheNextRotation() throws IOException {
        Path log = write("app.log=live", "app.log.rotating=parked", "app.log.1=one");
        assertEquals(dir.resolve("app.log.1"), rotateBySize(log, 10));
        assertEquals(List.of("app.log.1=live", "app.log.2=parked", "app.log.3=one"), contents());
    }

    @Test
    void filesLeftParkedUnderAnyDateAreFinishedInTheirOwnChainsNotOtherLogs() throws IOException {
        Path log = write("app.log=live", "app.log.2026-11-25.rotating=parked 25th", "app.log.2026-11-25.1=one 25th",
                "app.log.rotating=parked", "app.log-audit.rotating=another log's");
        BackupRotator.finishParked(log, RotationSuffix.parse("suffix", ".yyyy-MM-dd", ZoneId.of("UTC")), 10,
                Long.MAX_VALUE);
        assertEquals(List.of("app.log=live", "app.log-audit.rotating=another log's", "app.log.1=parked",
                "app.log.2026-11-25.1=parked 25th", "app.log.2026-11-25.2=one 25th"), contents());
    }

    // the same finish cut short after shifting .2 to .3 and .1 to .2: done again, it keeps both
    @Test
    void aFinishCutShortAndDoneAgainShiftsOnlyWhatItHadNotShifted() throws IOException {
        Path log = write("app.log=live", "app.log.rotating=parked", "app.log.2=one", "app.log.3=two");
        BackupRotator.finishParked(log, RotationSuffix.NONE, 3, Long.MAX_VALUE);
        assertEquals(List.of("app.log=live", "app.log.1=parked", "app.log.2=one", "app.log.3=two"), contents());
    }

    // rotations faster than shifts: one pass shifts the chain once for all of them, the newest parked to .1
    @Test
    void filesParkedSinceTheLastShiftJoinTheChainInOnePassInTheirOrder() throws IOException {
        Path log = write("app.log=live", "app.log.rotating.12=second", "app.log.rotating.7=first",
                "app.log.rotating.30=third", "app.log.1=one", "app.log.2.gz=two");
        assertEquals(List.of(dir.resolve("app.log.1"), dir.resolve("app.log.2"), dir.resolve("app.log.3")),
                BackupRotator.finishParked(log, RotationSuffix.NONE, 10, Long.MAX_VALUE));
        assertEquals(List.of("app.log=live", "app.log.1=third", "app.log.2=second", "app.log.3=first", "app.log.4=one",
                "app.log.5.gz=two"), contents());
    }

    @Test
    void parkedFilesPastMaxBackupIndexAreDeletedOldestFirst() throws IOException {
        Path log = write("app.log=live", "app.log.rotating.1=first", "app.log.rotating.2=second",
                "app.log.rotating.3=third", "app.log.1=one");
        assertEquals(List.of(dir.resolve("app.log.1"), dir.resolve("app.log.2")),
                BackupRotator.finishParked(log, RotationSuffix.NONE, 2, Long.MAX_VALUE));
        assertEquals(List.of("app.log=live", "app.log.1=third", "app.log.2=second"), contents());
    }

    // a pass of two cut short after shifting .2 to .4; a third file parked since: the pass done again shifts the
    // rest by the two free slots only, then the whole chain by one
    @Test
    void aPassCutShortIsFinishedWithoutShiftingIntoAUsedSlot() throws IOException {
        Path log = write("app.log=live", "app.log.rotating.5=first", "app.log.rotating.6=second",
                "app.log.rotating.9=third", "app.log.1=one", "app.log.4=two");
        BackupRotator.finishParked(log, RotationSuffix.NONE, 10, Long.MAX_VALUE);
        assertEquals(List.of("app.log=live", "app.log.1=third", "app.log.2=second", "app.log.3=first", "app.log.4=one",
                "app.log.5=two"), contents());
    }

    // a pass of three cut short after the chain moved up and the oldest parked file took .3: done again, the two
    // newer ones take .2 and .1
    @Test
    void aPassCutShortWhilePlacingParkedFilesKeepsTheirOrder() throws IOException {
        Path log = write("app.log=live", "app.log.rotating.2=second", "app.log.rotating.3=third", "app.log.3=first",
                "app.log.4=one");
        assertEquals(List.of(dir.resolve("app.log.1"), dir.resolve("app.log.2")),
                BackupRotator.finishParked(log, RotationSuffix.NONE, 10, Long.MAX_VALUE));
        assertEquals(List.of("app.log=live", "app.log.1=third", "app.log.2=second", "app.log.3=first", "app.log.4=one"),
                contents());
    }

    // a listing may miss a file parked while it runs: a later one must then wait too, or it would pass the earlier
    @Test
    void filesParkedFromTheGivenSequenceOnWaitForTheNextPass() throws IOException {
        Path log = write("app.log=live", "app.log.rotating.7=first", "app.log.rotating.9=second", "app.log.1=one");
        assertEquals(List.of(dir.resolve("app.log.1")), BackupRotator.finishParked(log, RotationSuffix.NONE, 10, 9));
        assertEquals(List.of("app.log=live", "app.log.1=first", "app.log.2=one", "app.log.rotating.9=second"),
                contents());
    }

    /** A size rotation of {@code log} in one go, as the handler does it in two steps; returns the newest backup. */
    private static Path rotateBySize(Path log, int maxBackupIndex) throws IOException {
        BackupRotator.park(log, "app.log", BackupRotator.nextParkSequence(log, RotationSuffix.NONE));
        List<Path> made = BackupRotator.finishParked(log, RotationSuffix.NONE, maxBackupIndex, Long.MAX_VALUE);
        return made.get(0);
    }

    /** Writes each {@code name=content} into the test's directory; returns the first file. */
    private Path write(String... files) throws IOException {
        Path first = null;
        for (String file : files) {
            String[] parts = file.split("=", 2);
            Path written = Files.writeString(dir.resolve(parts[0]), parts[1]);
            first = first == null ? written : first;
        }
        return first;
    }

    @Test
    void aBackupShiftedUpItsChainIsFoundByItsIdentity() throws IOException {
        Path first = Files.writeString(dir.resolve("app.log.2026-11-25.1"), "first");
        Object key = Files.readAttributes(first, BasicFileAttributes.class).fileKey();
        Files.writeString(dir.resolve("app.log.2026-11-25.2"), "other");
        Path shifted = dir.resolve("app.log.2026-11-25.4");
        Files.move(first, shifted);

        assertEquals(shifted, BackupRotator.findShifted(first, key));
        Files.delete(shifted);
        assertNull(BackupRotator.findShifted(first, key));
        assertNull(BackupRotator.findShifted(dir.resolve("app.log.2026-11-25"), key), "a time backup never shifts");
    }

    @Test
    void backupsAreTheNamesTheSuffixMakesInAnyForm() throws IOException {
        Path log = dir.resolve("app.log");
        for (String name : List.of("app.log", "app.log.2026-11-25", "app.log.2026-11-25.gz", "app.log.2026-11-25.3",
                "app.log.2026-11-25.3.zip", "app.log.1", "app.log.2026-13-25", "app.log.bak", ".app.log.lock",
                "app.logger")) {
            Files.writeString(dir.resolve(name), name);
        }
        RotationSuffix daily = RotationSuffix.parse("suffix", ".yyyy-MM-dd.gz", ZoneId.of("UTC"));
        assertEquals(List.of("app.log.2026-11-25", "app.log.2026-11-25.3", "app.log.2026-11-25.3.zip",
                "app.log.2026-11-25.gz"), names(BackupRotator.backups(log, daily)));
        RotationSuffix none = RotationSuffix.parse("suffix", "", ZoneId.of("UTC"));
        assertEquals(List.of("app.log.1"), names(BackupRotator.backups(log, none)));
    }

    // a time rotation whose name is taken (a repeated hour): the file, newest, takes the name; the backup there goes
    // into the chain by its last write, the older ones one slot up, the oldest past maxBackupIndex deleted
    @Test
    void aTimeBackupWhosePeriodComesAgainGoesIntoItsChainByAge() throws IOException {
        Path log = write("app.log=live", "app.log.P=first turn", "app.log.P.1=newer", "app.log.P.2.gz=older",
                "app.log.P.3=oldest");
        age("app.log.P", 100);
        age("app.log.P.1", 300);
        age("app.log.P.2.gz", 50);
        age("app.log.P.3", 40);
        BackupRotator.timeBackup(log, "app.log.P", true, 0, 0, 3).move(log);
        assertEquals(List.of("app.log.P=live", "app.log.P.1=newer", "app.log.P.2=first turn", "app.log.P.3.gz=older"),
                contents());
    }

    // a chain with a gap (a shift cut short): the backup takes the gap where its age puts it, nothing moves
    @Test
    void aDisplacedTimeBackupFillsAGapWithoutMovingTheSlotsAboveIt() throws IOException {
        Path log = write("app.log=live", "app.log.P.gz=first turn", "app.log.P.1=newer", "app.log.P.3=oldest");
        age("app.log.P.gz", 100);
        age("app.log.P.1", 300);
        age("app.log.P.3", 40);
        BackupRotator.timeBackup(log, "app.log.P", true, 0, 0, 0).move(log);
        assertEquals(List.of("app.log.P=live", "app.log.P.1=newer", "app.log.P.2.gz=first turn", "app.log.P.3=oldest"),
                contents());
    }

    // a compression of the displaced backup cut short after its rename into place: the raw form goes, the compressed
    // one moves with one rename (killed between two renames of two forms, a retry would file it twice)
    @Test
    void aDisplacedTimeBackupInBothFormsMovesOnceCompressed() throws IOException {
        Path log = write("app.log=live", "app.log.P=first turn", "app.log.P.gz=first turn compressed",
                "app.log.P.1=older");
        age("app.log.P", 100);
        age("app.log.P.gz", 100);
        age("app.log.P.1", 50);
        BackupRotator.timeBackup(log, "app.log.P", true, 0, 0, 5).move(log);
        assertEquals(List.of("app.log.P=live", "app.log.P.1.gz=first turn compressed", "app.log.P.2=older"),
                contents());
    }

    // a slot the displaced backup would move is a directory: nothing of the chain moves, the backup goes above it
    @Test
    void aDisplacedTimeBackupGoesAboveAChainItCannotMove() throws IOException {
        Path log = write("app.log=live", "app.log.P=first turn", "app.log.P.1=older");
        Files.createDirectory(dir.resolve("app.log.P.2"));
        age("app.log.P", 100);
        age("app.log.P.1", 50);
        BackupRotator.timeBackup(log, "app.log.P", true, 0, 0, 5).move(log);
        assertTrue(Files.isDirectory(dir.resolve("app.log.P.2")));
        Files.delete(dir.resolve("app.log.P.2"));
        assertEquals(List.of("app.log.P=live", "app.log.P.1=older", "app.log.P.3=first turn"), contents());
    }

    private void age(String name, long seconds) throws IOException {
        Files.setLastModifiedTime(dir.resolve(name), java.nio.file.attribute.FileTime.fromMillis(seconds * 1000));
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(path -> path.getFileName().toString()).sorted().toList();
    }

    private List<String> contents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(file -> {
                try {
                    return file.getFileName() + "=" + Files.readString(file);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;

/**
 * Runs inside its own mount namespace, on a small tmpfs (see {@link DiskFullIT}): fills the disk while the handler
 * writes, then frees it. It prints facts as {@code name=value} lines for the test to check; it asserts nothing itself.
 * With a second argument {@code compression}, the disk fills while a backup is compressed instead.
 */
public final class DiskFullScenario {

    private static final int RECORDS_WHILE_FULL = 200;
    private static final int RECORDS_AFTER = 200;

    public static void main(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("compression")) {
            fullWhileCompressing(mount);
            return;
        }
        Path log = mount.resolve("app.log");
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = TestHandlers.create(log, errors);
        TestHandlers.rotateAt(handler, "16k", 2);

        // Two full backups, and the log close to its rotate size: the next records are due to rotate it.
        int before = 0;
        while (!Files.exists(BackupRotator.backup(log, 2)) || Files.size(log) < 16 * 1024 - 200) {
            publish(handler, "before", before++);
        }
        byte[] backup1 = Files.readAllBytes(BackupRotator.backup(log, 1));
        byte[] backup2 = Files.readAllBytes(BackupRotator.backup(log, 2));
        Path filler = mount.resolve("filler");
        fillDisk(filler);

        int thrown = 0;
        for (int sequence = 0; sequence < RECORDS_WHILE_FULL; sequence++) {
            try {
                publish(handler, "full", sequence);
            } catch (Throwable e) {
                thrown++;
            }
        }
        int failures = errors.takeAll(ErrorManager.WRITE_FAILURE).size();
        System.out.println("thrown=" + thrown);
        System.out.println("writeFailures=" + failures);
        System.out.println("backupsUnchanged=" + (Arrays.equals(backup1, Files.readAllBytes(BackupRotator.backup(log, 1)))
                && Arrays.equals(backup2, Files.readAllBytes(BackupRotator.backup(log, 2)))));

        // The rotation due once space is back deletes the oldest backup, as it should: keep a copy to verify with.
        Path oldest = Files.write(mount.resolveSibling("oldest-backup-before-recovery"), backup2);
        Files.delete(filler);
        for (int sequence = 0; sequence < RECORDS_AFTER; sequence++) {
            publish(handler, "after", sequence);
        }
        handler.close();
        System.out.println("reportsAfter=" + (errors.takeAll(ErrorManager.WRITE_FAILURE).size()
                + errors.takeAll(ErrorManager.GENERIC_FAILURE).size()));
        System.out.println("rotatedAfter=" + !Arrays.equals(backup1, Files.readAllBytes(BackupRotator.backup(log, 1))));
        try {
            List<Path> files = new ArrayList<>(List.of(oldest));
            files.addAll(LogFiles.oldestFirst(log));
            LogCheck.verify(files, Map.of("before T0", (long) before,
                    "full T0", (long) RECORDS_WHILE_FULL - failures, "after T0", (long) RECORDS_AFTER));
            System.out.println("verify=ok");
        } catch (AssertionError e) {
            System.out.println("verify=" + e.getMessage().replace('\n', '|'));
        }
    }

    /**
     * A backup of random text (it hardly compresses) is rotated out while too little room is left for its compressed
     * form: the compression fails, the raw backup stays whole, it is reported once; once there is room, the next
     * rotation's sweep compresses it.
     */
    private static void fullWhileCompressing(Path mount) throws Exception {
        Path log = mount.resolve("app.log");
        RecordingErrorManager errors = new RecordingErrorManager();
        ConcurrentRotatingFileHandler handler = TestHandlers.create(log, errors);
        handler.setSuffix(".gz");
        TestHandlers.rotateAt(handler, "32k", 5);
        java.util.Random random = new java.util.Random(42);
        StringBuilder first = new StringBuilder();
        while (first.length() < 24 * 1024) {
            String line = randomText(random, 1000);
            handler.publish(new LogRecord(Level.INFO, line));
            first.append(line).append('\n');
        }
        Path filler = mount.resolve("filler");
        fillDisk(filler);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(filler,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - 24 * 1024)); // room for a record, not for the backup
        }
        String big = randomText(random, 12 * 1024);
        handler.publish(new LogRecord(Level.INFO, big)); // rotates the first file out, then fails to compress it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        List<RecordingErrorManager.Report> failures = List.of();
        while (failures.isEmpty() && System.nanoTime() < deadline) {
            failures = errors.takeAll(ErrorManager.WRITE_FAILURE);
            Thread.onSpinWait();
        }
        System.out.println("compressionReports=" + failures.size()
                + (failures.isEmpty() ? "" : " " + failures.get(0).message().replace('\n', ' ')));
        Path raw = mount.resolve("app.log.1");
        System.out.println("rawKept=" + (Files.exists(raw)
                && Files.readString(raw).equals(first.toString())));
        try (var listing = Files.list(mount)) {
            System.out.println("leftovers=" + listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp") || n.endsWith(".gz")).toList());
        }

        Files.delete(filler);
        String second = randomText(random, 20 * 1024);
        handler.publish(new LogRecord(Level.INFO, second)); // the next rotation; its sweep finds the first backup
        handler.publish(new LogRecord(Level.INFO, "last"));
        handler.close();
        List<RecordingErrorManager.Report> after = new ArrayList<>(errors.takeAll(ErrorManager.WRITE_FAILURE));
        after.addAll(errors.takeAll(ErrorManager.GENERIC_FAILURE));
        System.out.println("reportsAfter=" + after.toString().replace('\n', ' '));
        try (var listing = Files.list(mount)) {
            System.out.println("filesAfter=" + listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        boolean contents = LogFiles.readLines(mount.resolve("app.log.2.gz")).equals(first.toString().lines().toList())
                && LogFiles.readLines(mount.resolve("app.log.1.gz")).equals(List.of(big))
                && Files.readString(log).equals(second + "\nlast\n");
        System.out.println("compressedAfter=" + contents);
    }

    private static String randomText(java.util.Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        return text.toString();
    }

    private static void publish(ConcurrentRotatingFileHandler handler, String writer, int sequence) {
        handler.publish(new LogRecord(Level.INFO, RecordFormat.record(writer, 0, sequence, 40)));
    }

    private static void fillDisk(Path filler) {
        byte[] block = new byte[512];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            System.out.println("filled=" + full.getMessage());
        }
    }
}

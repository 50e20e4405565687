package dev.concurrentlog.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A log and its backups: their names ({@code NAME.<index>} for size rotation, {@code NAME.<date>[.<index>]} for time
 * rotation, either with {@code .gz} or {@code .zip} when compressed), their order, oldest first, and their lines, read
 * through the compression.
 */
public final class LogFiles {

    private static final List<String> EXTENSIONS = List.of(".gz", ".zip");

    private LogFiles() {
    }

    /** {@code NAME.index}: a size backup of a log without a date suffix. */
    public static Path backup(Path log, int index) {
        return log.resolveSibling(log.getFileName() + "." + index);
    }

    /**
     * What a backup's name says. {@code date} is the date text without its dot ({@code ""} in a size chain without a
     * date), {@code index} the size backup index (0 for the time backup of a date, which has none), and
     * {@code extension} {@code ".gz"}, {@code ".zip"} or {@code ""}.
     */
    public record BackupName(String date, int index, String extension, long parkedSequence) {

        /**
         * The index of a file a size rotation parked ({@code NAME<date>.rotating.<sequence>}) and its backups are not
         * shifted yet: newer than its size chain, which the next shift makes it join.
         */
        public static final int PARKED = -1;

        /** A backup that is not parked. */
        public BackupName(String date, int index, String extension) {
            this(date, index, extension, 0);
        }

        /**
         * Oldest first within a date: the size chain from the highest index down, the parked files in their order, the
         * time backup.
         */
        int age() {
            return index > 0 ? 2 * index : index == PARKED ? 1 : 0;
        }
    }

    /**
     * The name of {@code file} as a backup of {@code log} with dates of {@code dateLength} characters (0: a size chain
     * without dates), or empty if it is not one.
     */
    public static Optional<BackupName> backupName(Path log, Path file, int dateLength) {
        String prefix = log.getFileName() + ".";
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = name.substring(prefix.length());
        String extension = "";
        for (String candidate : EXTENSIONS) {
            if (rest.endsWith(candidate)) {
                extension = candidate;
                rest = rest.substring(0, rest.length() - candidate.length());
            }
        }
        int parked = rest.lastIndexOf("rotating");
        String sequence = parked < 0 ? "" : rest.substring(parked + "rotating".length());
        if (parked == (dateLength == 0 ? 0 : dateLength + 1) && (parked == 0 || rest.charAt(parked - 1) == '.')
                && (sequence.isEmpty() || sequence.startsWith(".") && index(sequence.substring(1), 18) >= 0)) {
            return Optional.of(new BackupName(rest.substring(0, dateLength), BackupName.PARKED, "",
                    sequence.isEmpty() ? Long.MIN_VALUE : Long.parseLong(sequence.substring(1))));
        }
        if (dateLength == 0) {
            int index = index(rest);
            return index > 0 ? Optional.of(new BackupName("", index, extension)) : Optional.empty();
        }
        if (rest.length() < dateLength) {
            return Optional.empty();
        }
        String date = rest.substring(0, dateLength);
        String after = rest.substring(dateLength);
        if (after.isEmpty()) {
            return Optional.of(new BackupName(date, 0, extension));
        }
        int index = after.startsWith(".") ? index(after.substring(1)) : -1;
        return index > 0 ? Optional.of(new BackupName(date, index, extension)) : Optional.empty();
    }

    private static int index(String text) {
        return (int) index(text, 9);
    }

    private static long index(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /** The size backups of {@code log} that exist, in any form, highest index (the oldest) first, then the log. */
    public static List<Path> oldestFirst(Path log) throws IOException {
        return oldestFirst(log, 0);
    }

    /**
     * The backups of {@code log} that exist, in the order they were written, then the log: by date (dates of
     * {@code dateLength} characters that sort as text, such as {@code yyyy-MM-dd-HH-mm}), and within a date its size
     * chain from the highest index down, a file parked by a rotation cut short, then the time backup, which has no
     * index. With {@code dateLength} 0, the size
     * chain of a log without dates. Files beside the log that are not its backups by name are left out.
     */
    public static List<Path> oldestFirst(Path log, int dateLength) throws IOException {
        record Backup(Path file, BackupName name) {
        }
        List<Backup> backups = new ArrayList<>();
        Path dir = log.toAbsolutePath().getParent();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> siblings = Files.list(dir)) {
                for (Path file : (Iterable<Path>) siblings::iterator) {
                    backupName(log, file, dateLength).ifPresent(name -> backups.add(new Backup(file, name)));
                }
            }
        }
        backups.sort(Comparator.comparing((Backup backup) -> backup.name().date())
                .thenComparing(backup -> backup.name().age(), Comparator.reverseOrder())
                .thenComparingLong(backup -> backup.name().parkedSequence())
                .thenComparing(backup -> backup.file().getFileName().toString()));
        List<Path> files = new ArrayList<>();
        backups.forEach(backup -> files.add(log.resolveSibling(backup.file().getFileName())));
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    /**
     * Waits until every backup of {@code log} (dates of {@code dateLength} characters) ends with {@code extension}
     * and no temporary file ({@code .tmp}) is left beside it, or {@code timeout} passes; returns its files, oldest
     * first, as they are then.
     */
    public static List<Path> awaitCompressed(Path log, int dateLength, String extension, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> files = oldestFirst(log, dateLength);
            boolean done = files.stream().allMatch(file -> file.equals(log)
                    || file.getFileName().toString().endsWith(extension));
            try (Stream<Path> siblings = Files.list(log.toAbsolutePath().getParent())) {
                done &= siblings.noneMatch(file -> file.getFileName().toString().endsWith(".tmp"));
            }
            if (done || System.nanoTime() - deadline > 0) {
                return files;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Reads the lines of a log or backup, decompressing a {@code .gz} or {@code .zip} one (a zip must hold exactly
     * one entry, else the reader fails when it gets to its end). Bytes that are not UTF-8 are read as U+FFFD, so the
     * line they are in fails its check instead of the reading.
     */
    public static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 64 * 1024);
    }

    private static InputStream open(Path file) throws IOException {
        String name = file.getFileName().toString();
        InputStream in = Files.newInputStream(file);
        try {
            if (name.endsWith(".gz")) {
                return new GZIPInputStream(in, 64 * 1024);
            }
            if (name.endsWith(".zip")) {
                return new SingleEntry(new ZipInputStream(in), file);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The bytes of a log or backup, decompressed as {@link #reader} does. */
    public static byte[] readBytes(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    /** The names of the entries of a zip backup, in order. */
    public static List<String> zipEntryNames(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** All the lines of a log or backup, as {@link #reader} reads them. */
    public static List<String> readLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = reader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The one entry of a zip backup; a second entry, or none, is an error. */
    private static final class SingleEntry extends java.io.FilterInputStream {

        private final Path file;
        private boolean ended;

        SingleEntry(ZipInputStream zip, Path file) throws IOException {
            super(zip);
            this.file = file;
            if (zip.getNextEntry() == null) {
                throw new IOException(file + " holds no entry");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b < 0 ? end(b) : b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            return read < 0 ? end(read) : read;
        }

        private int end(int eof) throws IOException {
            if (!ended) {
                ended = true;
                ZipEntry next = ((ZipInputStream) in).getNextEntry();
                if (next != null) {
                    throw new IOException(file + " holds more than one entry: " + next.getName());
                }
            }
            return eof;
        }
    }
}

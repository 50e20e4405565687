package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test records and their checks. A record is one line, {@code W<writer> T<thread> S<seq> <payload> C<crc>}, where the
 * CRC covers everything before it. The verifier reads the log and its backups, oldest first, and checks that every
 * record is intact, appears exactly once, and that each thread's records are in order.
 */
final class LogVerifier {

    private static final Pattern LINE = Pattern.compile("(W(\\S+) T(\\d+) S(\\d+) \\S*) C([0-9a-f]{8})");

    private LogVerifier() {
    }

    static String record(String writer, int thread, long sequence, int payloadLength) {
        StringBuilder body = new StringBuilder(64 + payloadLength)
                .append('W').append(writer).append(" T").append(thread).append(" S").append(sequence).append(' ');
        for (int i = 0; i < payloadLength; i++) {
            body.append((char) ('a' + (int) ((sequence * 31 + i) % 26)));
        }
        return body + " C" + crc(body.toString());
    }

    /**
     * A record whose payload is {@code @<time>}: the epoch milliseconds just before it was logged, so the file it is
     * found in can be checked against its period.
     */
    static String timedRecord(String writer, int thread, long sequence, long time) {
        String body = "W" + writer + " T" + thread + " S" + sequence + " @" + time;
        return body + " C" + crc(body);
    }

    /** The time in a {@link #timedRecord}, or -1 if the line is not one. */
    static long recordTime(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return -1;
        }
        String body = matcher.group(1);
        int at = body.lastIndexOf(" @");
        return at < 0 ? -1 : Long.parseLong(body.substring(at + 2));
    }

    /** The lines of a log file or backup; a {@code .gz} or {@code .zip} backup is decompressed. */
    static List<String> readLines(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".gz") && !name.endsWith(".zip")) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        try (java.io.InputStream raw = Files.newInputStream(file);
             java.io.InputStream in = name.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw)
                     : zipEntry(new java.util.zip.ZipInputStream(raw))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static java.io.InputStream zipEntry(java.util.zip.ZipInputStream zip) throws IOException {
        zip.getNextEntry();
        return zip;
    }

    private static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /** The log file's backups that exist, oldest first, then the log itself. */
    static List<Path> filesOldestFirst(Path log, int maxBackupIndex) {
        return filesOldestFirst(log, maxBackupIndex, "");
    }

    /** As {@link #filesOldestFirst(Path, int)}, for backups compressed with {@code extension} ({@code .gz}). */
    static List<Path> filesOldestFirst(Path log, int maxBackupIndex, String extension) {
        List<Path> files = new ArrayList<>();
        for (int index = maxBackupIndex; index >= 1; index--) {
            Path backup = log.resolveSibling(BackupRotator.backup(log, index).getFileName() + extension);
            if (Files.exists(backup)) {
                files.add(backup);
            }
        }
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    /**
     * Checks every record of the files: intact, exactly once, per-thread order, and that {@code expected} maps each
     * "writer thread" to the exact number of records it wrote.
     */
    static void verify(List<Path> files, Map<String, Long> expected) throws IOException {
        verifyAfterKills(files, expected, Map.of());
    }

    /**
     * As {@link #verify}, for runs in which writer processes were killed. {@code returnedByKilled} maps each thread of
     * a killed writer to the number of its publish calls that had returned: those records must be there, intact, once
     * and in order; the one it was publishing when it died may be there whole, or as an unfinished line of its own (a
     * prefix of the record), or not at all. Nothing else may be torn.
     *
     * @return how many unfinished lines of killed writers were found
     */
    static int verifyAfterKills(List<Path> files, Map<String, Long> expected, Map<String, Long> returnedByKilled)
            throws IOException {
        Map<String, Long> lastSequence = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int unfinished = 0;
        for (Path file : files) {
            List<String> lines = readLines(file);
            for (int lineNumber = 0; lineNumber < lines.size(); lineNumber++) {
                String line = lines.get(lineNumber);
                Matcher matcher = LINE.matcher(line);
                if (!matcher.matches() || !crc(matcher.group(1)).equals(matcher.group(5))) {
                    if (isUnfinishedRecordOfKilled(line, returnedByKilled)) {
                        unfinished++;
                    } else {
                        problems.add(file.getFileName() + ":" + (lineNumber + 1) + " is torn or corrupt: "
                                + abbreviate(line));
                    }
                    continue;
                }
                String key = matcher.group(2) + " T" + matcher.group(3);
                long sequence = Long.parseLong(matcher.group(4));
                Long previous = lastSequence.put(key, sequence);
                long wanted = previous == null ? 0 : previous + 1;
                if (sequence != wanted) {
                    problems.add(file.getFileName() + ":" + (lineNumber + 1) + " writer " + key + " has sequence "
                            + sequence + " where " + wanted + " was expected (lost, duplicated or reordered)");
                }
                counts.merge(key, 1L, Long::sum);
            }
            if (problems.size() > 20) {
                break;
            }
        }
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            Long seen = counts.get(entry.getKey());
            if (!entry.getValue().equals(seen)) {
                problems.add("writer " + entry.getKey() + " wrote " + entry.getValue() + " records, found " + seen);
            }
        }
        for (Map.Entry<String, Long> entry : returnedByKilled.entrySet()) {
            long seen = counts.getOrDefault(entry.getKey(), 0L);
            if (seen != entry.getValue() && seen != entry.getValue() + 1) {
                problems.add("killed writer " + entry.getKey() + " returned from " + entry.getValue()
                        + " publish calls, found " + seen + " records");
            }
        }
        counts.keySet().stream().filter(key -> !expected.containsKey(key) && !returnedByKilled.containsKey(key))
                .forEach(key -> problems.add("records from unknown writer " + key));
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems in " + files + ":\n" + String.join("\n",
                    problems.subList(0, Math.min(problems.size(), 20))));
        }
        return unfinished;
    }

    /** Whether {@code line} is the beginning of the record some killed writer's thread was publishing when it died. */
    private static boolean isUnfinishedRecordOfKilled(String line, Map<String, Long> returnedByKilled) {
        for (Map.Entry<String, Long> entry : returnedByKilled.entrySet()) {
            String[] writerAndThread = entry.getKey().split(" T");
            String inFlight = record(writerAndThread[0], Integer.parseInt(writerAndThread[1]), entry.getValue(),
                    WriterProcess.PAYLOAD);
            if (!line.isEmpty() && inFlight.startsWith(line) && line.length() < inFlight.length()) {
                return true;
            }
        }
        return false;
    }

    /** Counts the intact records of each "writer thread" in the files. */
    static Map<String, Long> countRecords(List<Path> files) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (Path file : files) {
            for (String line : readLines(file)) {
                Matcher matcher = LINE.matcher(line);
                if (matcher.matches() && crc(matcher.group(1)).equals(matcher.group(5))) {
                    counts.merge(matcher.group(2) + " T" + matcher.group(3), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Checks the size rule: no file is larger than {@code rotateSize} (records here are smaller than it), and every
     * backup is full enough that the next record could not fit: each rotation happened once, when it was due.
     */
    static void verifySizes(Path log, int maxBackupIndex, long rotateSize, int maxRecordLength) throws IOException {
        for (Path file : filesOldestFirst(log, maxBackupIndex)) {
            long size = Files.size(file);
            assertTrue(size <= rotateSize, file + " has " + size + " bytes, over rotateSize " + rotateSize);
            if (!file.equals(log)) {
                assertTrue(size > rotateSize - maxRecordLength, file + " has only " + size
                        + " bytes: rotated early or twice (rotateSize " + rotateSize + ")");
            }
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}

package dev.concurrentlog.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Benchmark records (about 180 bytes: {@code W<writer> T<thread> S<seq> <payload> C<crc>}) and the integrity count
 * of a run: records lost, duplicated and torn, over the log and all its backups.
 */
final class Records {

    static final int PAYLOAD = 140;

    private Records() {
    }

    /** The alphabet, repeated: the payload of record {@code s} is the {@link #PAYLOAD} letters from {@code s % 26}. */
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz".repeat(PAYLOAD / 26 + 2);

    static String record(String writer, int thread, int sequence) {
        int from = sequence % 26;
        String text = new StringBuilder(200)
                .append('W').append(writer).append(" T").append(thread).append(" S").append(sequence).append(' ')
                .append(LETTERS, from, from + PAYLOAD).toString();
        return text + " C" + crc(text);
    }

    /** The CRC32 of the text as eight hex digits; made cheaply, since writers make one per record while timed. */
    private static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.ISO_8859_1));
        String hex = Long.toHexString(crc.getValue());
        return "00000000".substring(hex.length()) + hex;
    }

    /** What a run left in the files. */
    record Integrity(long found, long lost, long duplicated, long torn, long bytes) {
    }

    /** The log's backups that exist, any name and form, then the log. */
    static List<Path> files(Path log) throws IOException {
        List<Path> files = new ArrayList<>();
        try (java.util.stream.Stream<Path> siblings = Files.list(log.getParent())) {
            siblings.filter(file -> file.getFileName().toString().startsWith(log.getFileName() + "."))
                    .sorted().forEach(files::add);
        }
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    private static BufferedReader reader(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        return new BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(file), 64 * 1024), StandardCharsets.UTF_8));
    }

    /** Counts against what was written: {@code writers} processes of {@code threads} threads and {@code records}. */
    static Integrity check(Path log, int writers, int threads, int records) throws IOException {
        Map<String, BitSet> seen = new HashMap<>();
        long found = 0;
        long duplicated = 0;
        long torn = 0;
        long bytes = 0;
        for (Path file : files(log)) {
            bytes += Files.size(file);
            try (BufferedReader reader = reader(file)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    int crcAt = line.lastIndexOf(" C");
                    int threadAt = line.indexOf(" T");
                    int sequenceAt = line.indexOf(" S", threadAt + 1);
                    int payloadAt = line.indexOf(' ', sequenceAt + 2);
                    if (!line.startsWith("W") || crcAt < 0 || threadAt < 0 || sequenceAt < 0 || payloadAt < 0
                            || !crc(line.substring(0, crcAt)).equals(line.substring(crcAt + 2))) {
                        torn++;
                        continue;
                    }
                    String key = line.substring(1, sequenceAt);
                    int sequence = Integer.parseInt(line.substring(sequenceAt + 2, payloadAt));
                    BitSet bits = seen.computeIfAbsent(key, k -> new BitSet(records));
                    if (bits.get(sequence)) {
                        duplicated++;
                    } else {
                        bits.set(sequence);
                        found++;
                    }
                }
            }
        }
        long expected = (long) writers * threads * records;
        return new Integrity(found, expected - found, duplicated, torn, bytes);
    }
}

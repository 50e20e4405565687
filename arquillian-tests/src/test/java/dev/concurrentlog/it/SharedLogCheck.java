package dev.concurrentlog.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.concurrentlog.it.app.LoadServlet;
import dev.concurrentlog.it.app.RecordText;

/**
 * Reads a shared log and its backups (oldest first) as WildFly's PATTERN formatter wrote them, and checks the load
 * records in it: each intact, each exactly once, each writer thread's records in order. Lines that are not load
 * records (a server's own messages) are counted, not judged, unless they look like part of a torn record.
 * <p>
 * Also a command-line tool, for the demo: {@code java SharedLogCheck LOG MAX_BACKUP_INDEX WRITER=THREADSxRECORDS...}.
 */
public final class SharedLogCheck {

    private static final Pattern RECORD = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[" + Pattern.quote(LoadServlet.CATEGORY)
                    + "\\] \\([^)]*\\) (W(\\S+) T(\\d+) S(\\d+) \\S*) C([0-9a-f]{8})$");
    private static final Pattern OTHER = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*");

    /** Per writer: records found, lost, duplicated; and overall torn lines and other lines. */
    public static final class Summary {
        final Map<String, long[]> writers = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        long torn;
        long otherLines;
        final List<String> files = new ArrayList<>();

        public boolean ok() {
            return problems.isEmpty();
        }

        public List<String> problems() {
            return problems;
        }

        /** @return a table: writer, expected, found, lost, duplicated; then torn and other lines */
        public String table() {
            StringBuilder text = new StringBuilder(String.format("%-20s %10s %10s %8s %11s%n",
                    "writer", "expected", "found", "lost", "duplicated"));
            for (Map.Entry<String, long[]> entry : writers.entrySet()) {
                long[] v = entry.getValue();
                text.append(String.format("%-20s %10d %10d %8d %11d%n", entry.getKey(), v[0], v[1], v[2], v[3]));
            }
            text.append("torn or corrupt lines: ").append(torn).append('\n')
                    .append("other lines (the servers' own messages): ").append(otherLines).append('\n');
            return text.toString();
        }
    }

    private SharedLogCheck() {
    }

    public static Path backup(Path log, int index) {
        return log.resolveSibling(log.getFileName() + "." + index);
    }

    public static List<Path> filesOldestFirst(Path log, int maxBackupIndex) {
        List<Path> files = new ArrayList<>();
        for (int index = maxBackupIndex; index >= 1; index--) {
            if (Files.exists(backup(log, index))) {
                files.add(backup(log, index));
            }
        }
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    /**
     * The log's backups by a date suffix without size rotation ({@code NAME.2026-11-26-10-15.gz}, dates that sort as
     * text), oldest first, then the log.
     */
    public static List<Path> datedFilesOldestFirst(Path log) throws IOException {
        List<Path> files = new ArrayList<>();
        try (java.util.stream.Stream<Path> siblings = Files.list(log.getParent())) {
            siblings.filter(file -> file.getFileName().toString().startsWith(log.getFileName() + "."))
                    .sorted().forEach(files::add);
        }
        files.add(log);
        return files;
    }

    /** Waits until every backup of {@code log} is compressed and no temporary file is left; returns the files. */
    public static List<Path> awaitCompressed(Path log) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<Path> files = SharedLogCheck.datedFilesOldestFirst(log);
            boolean done = files.stream().allMatch(file -> file.equals(log)
                    || file.getFileName().toString().endsWith(".gz"));
            try (java.util.stream.Stream<Path> hidden = Files.list(log.getParent())) {
                done &= hidden.noneMatch(file -> file.getFileName().toString().endsWith(".tmp"));
            }
            if (done || System.nanoTime() > deadline) {
                return files;
            }
            Thread.onSpinWait();
        }
    }

    /** The lines of a log or backup; a {@code .gz} backup is decompressed. */
    static List<String> readLines(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * @param expected writer to {threads, records per thread}
     */
    public static Summary check(List<Path> files, Map<String, int[]> expected) throws IOException {
        Summary summary = new Summary();
        Map<String, Long> next = new TreeMap<>();
        Map<String, Long> found = new TreeMap<>();
        Map<String, Long> duplicated = new TreeMap<>();
        for (Path file : files) {
            summary.files.add(file.getFileName() + " (" + Files.size(file) + " bytes)");
            List<String> lines = readLines(file);
            for (int number = 1; number <= lines.size(); number++) {
                String line = lines.get(number - 1);
                Matcher matcher = RECORD.matcher(line);
                if (!matcher.matches()) {
                    if (line.contains(LoadServlet.CATEGORY) || (!OTHER.matcher(line).matches()
                            && !line.startsWith("\t") && !line.startsWith("Caused by") && !line.isEmpty())) {
                        summary.torn++;
                        summary.problems.add(file.getFileName() + ":" + number + " torn or merged: " + cut(line));
                    } else {
                        summary.otherLines++;
                    }
                    continue;
                }
                if (!RecordText.crc(matcher.group(1)).equals(matcher.group(5))) {
                    summary.torn++;
                    summary.problems.add(file.getFileName() + ":" + number + " checksum mismatch: " + cut(line));
                    continue;
                }
                String writer = matcher.group(2);
                String key = writer + " T" + matcher.group(3);
                long sequence = Long.parseLong(matcher.group(4));
                long wanted = next.getOrDefault(key, 0L);
                if (sequence < wanted) {
                    duplicated.merge(writer, 1L, Long::sum);
                    summary.problems.add(file.getFileName() + ":" + number + " writer " + key + " record " + sequence
                            + " again or out of order (expected " + wanted + ")");
                } else if (sequence > wanted) {
                    summary.problems.add(file.getFileName() + ":" + number + " writer " + key + " records " + wanted
                            + " to " + (sequence - 1) + " missing or out of order");
                }
                next.put(key, Math.max(wanted, sequence + 1));
                found.merge(writer, 1L, Long::sum);
            }
        }
        for (Map.Entry<String, int[]> entry : expected.entrySet()) {
            String writer = entry.getKey();
            long want = (long) entry.getValue()[0] * entry.getValue()[1];
            long got = found.getOrDefault(writer, 0L);
            long dup = duplicated.getOrDefault(writer, 0L);
            long lost = Math.max(0, want - (got - dup));
            summary.writers.put(writer, new long[] {want, got, lost, dup});
            if (lost > 0) {
                summary.problems.add("writer " + writer + " (server) lost " + lost + " of " + want + " records");
            }
        }
        for (String writer : found.keySet()) {
            if (!expected.containsKey(writer)) {
                summary.problems.add("records of unexpected writer " + writer);
            }
        }
        return summary;
    }

    private static String cut(String line) {
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    public static void main(String[] args) throws IOException {
        Path log = Path.of(args[0]);
        int maxBackupIndex = Integer.parseInt(args[1]);
        Map<String, int[]> expected = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] writer = args[i].split("=");
            String[] shape = writer[1].split("x");
            expected.put(writer[0], new int[] {Integer.parseInt(shape[0]), Integer.parseInt(shape[1])});
        }
        List<Path> files = filesOldestFirst(log, maxBackupIndex);
        Summary summary = check(files, expected);
        System.out.println("Files, oldest first:");
        summary.files.forEach(file -> System.out.println("  " + file));
        System.out.print(summary.table());
        summary.problems.stream().limit(20).forEach(problem -> System.out.println("PROBLEM " + problem));
        System.out.println(summary.ok() ? "RESULT: every record exactly once, intact, in order" : "RESULT: FAILED");
        System.exit(summary.ok() ? 0 : 1);
    }
}

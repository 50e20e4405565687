package dev.concurrentlog.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The check of the records in a log and its backups, read oldest first: every record intact, each exactly once, the
 * records of each writer thread in order, and as many of each as it wrote. A writer thread is
 * {@code "<writer> T<thread>"} ({@link RecordFormat.Fields#key()}); its records carry sequences 0, 1, 2 ...
 * <p>
 * A line that is not an intact record is torn (unless the {@link LineLayout} allows it as another line, or it is the
 * unfinished record of a killed writer). A record whose sequence was seen before is duplicated; one whose sequence is
 * not the next of its thread, lost or reordered. Every one of these is a problem, and so is a count that differs from
 * the expected one and a writer thread that was not expected. {@link Result} has the counts (lost, duplicated, torn)
 * and the problems; {@link Result#assertOk()} throws an {@link AssertionError} that lists them.
 * <p>
 * Also a command-line tool: {@code LogCheck [--wildfly-category=CATEGORY] LOG WRITER=THREADSxRECORDS...} checks LOG
 * and its size backups, prints the files, a table and the problems, and exits 0 if there are none, else 1.
 */
public final class LogCheck {

    /** How many problems a result keeps and shows; it counts them all. */
    public static final int PROBLEMS_SHOWN = 20;

    private final LineLayout layout;
    private final Map<String, Long> expected = new LinkedHashMap<>();
    private final Map<String, Long> returnedByKilled = new LinkedHashMap<>();
    private final Map<String, String> inFlightOfKilled = new LinkedHashMap<>();
    private boolean anyWriter;

    /** A check of logs whose lines are records and nothing else. */
    public LogCheck() {
        this(LineLayout.plain());
    }

    public LogCheck(LineLayout layout) {
        this.layout = layout;
    }

    /** Expects exactly {@code records} records of the writer thread {@code key}, {@code "<writer> T<thread>"}. */
    public LogCheck expect(String key, long records) {
        expected.put(key, records);
        return this;
    }

    /** Expects exactly the records each writer thread (the keys) wrote (the values). */
    public LogCheck expect(Map<String, Long> recordsByKey) {
        expected.putAll(recordsByKey);
        return this;
    }

    /** Expects {@code recordsPerThread} records from each of the threads 0 to {@code threads - 1} of {@code writer}. */
    public LogCheck expectWriter(String writer, int threads, long recordsPerThread) {
        for (int thread = 0; thread < threads; thread++) {
            expected.put(writer + " T" + thread, recordsPerThread);
        }
        return this;
    }

    /**
     * Expects the records of writer threads that were killed: {@code returnedByKey} maps each to the number of its
     * publish calls that had returned. Those records must be there, intact, once and in order; the one it was
     * publishing when it died (a {@link RecordFormat#record} with {@code payloadLength} letters) may be there whole, as
     * an unfinished line of its own (a prefix of the record), or not at all. It may also be cut short and followed on
     * its line by a whole record of another writer: SIGKILL can cut an append without the lock at a page boundary, and
     * the next append goes on from there ({@link Result#joined()}).
     */
    public LogCheck expectKilled(Map<String, Long> returnedByKey, int payloadLength) {
        returnedByKey.forEach((key, returned) -> {
            returnedByKilled.put(key, returned);
            int thread = key.lastIndexOf(" T");
            inFlightOfKilled.put(key, RecordFormat.record(key.substring(0, thread),
                    Integer.parseInt(key.substring(thread + 2)), returned, payloadLength));
        });
        return this;
    }

    /**
     * As {@link #expectKilled}, for writers of {@link RecordFormat#timedRecord}s: the record in flight is known up to
     * its time and checksum, which any digits may stand for in an unfinished line.
     */
    public LogCheck expectKilledTimed(Map<String, Long> returnedByKey) {
        returnedByKey.forEach((key, returned) -> {
            returnedByKilled.put(key, returned);
            int thread = key.lastIndexOf(" T");
            inFlightOfKilled.put(key, RecordFormat.timedRecord(key.substring(0, thread),
                    Integer.parseInt(key.substring(thread + 2)), returned, 0).replaceFirst("@0 C[0-9a-f]+$", "@"));
        });
        return this;
    }

    /** Counts the records of writer threads that were not expected, instead of calling them a problem. */
    public LogCheck anyWriter() {
        anyWriter = true;
        return this;
    }

    /** Checks {@code files}, oldest first. */
    public Result check(List<Path> files) throws IOException {
        Result result = new Result(files, layout.hasOtherLines());
        for (Path file : files) {
            result.bytes += Files.size(file);
            try (BufferedReader reader = LogFiles.reader(file)) {
                int number = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    number++;
                    check(result, file, number, line);
                }
            }
        }
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            WriterThread thread = result.threads.get(entry.getKey());
            long found = thread == null ? 0 : thread.records;
            result.writerThread(entry.getKey()).expected = entry.getValue();
            if (found != entry.getValue()) {
                result.problem(() -> "writer " + entry.getKey() + " wrote " + entry.getValue() + " records, found "
                        + found);
            }
        }
        for (Map.Entry<String, Long> entry : returnedByKilled.entrySet()) {
            long found = result.writerThread(entry.getKey()).records;
            result.writerThread(entry.getKey()).expected = entry.getValue();
            if (found != entry.getValue() && found != entry.getValue() + 1) {
                result.problem(() -> "killed writer " + entry.getKey() + " returned from " + entry.getValue()
                        + " publish calls, found " + found + " records");
            }
        }
        result.threads.values().forEach(thread -> thread.seen = null); // a result is small, whatever was read
        if (!anyWriter) {
            result.threads.forEach((key, thread) -> {
                if (!expected.containsKey(key) && !returnedByKilled.containsKey(key)) {
                    result.problem(() -> "records from unknown writer " + key);
                }
            });
        }
        return result;
    }

    private void check(Result result, Path file, int number, String line) {
        String text = layout.recordText(line);
        RecordFormat.Fields record = text == null ? null : RecordFormat.parse(text);
        if (record == null || !record.intact()) {
            if (text == null && layout.isOtherLine(line)) {
                result.otherLines++;
            } else if (isUnfinishedRecordOfKilled(line)) {
                result.unfinished++;
            } else if (joinedAfterUnfinishedOfKilled(line) > 0) {
                result.joined++;
                check(result, file, number, line.substring(joinedAfterUnfinishedOfKilled(line)));
            } else {
                result.torn++;
                result.problem(() -> file.getFileName() + ":" + number + (record == null ? " is torn or merged: "
                        : " fails its checksum: ") + abbreviate(line));
            }
            return;
        }
        WriterThread thread = result.writerThread(record.key());
        thread.records++;
        long sequence = record.sequence();
        if (sequence >= Integer.MAX_VALUE) {
            result.problem(() -> file.getFileName() + ":" + number + " writer " + record.key() + " has sequence "
                    + sequence + ", beyond what any test writes");
            return;
        }
        if (thread.seen.get((int) sequence)) {
            thread.duplicated++;
            result.problem(() -> file.getFileName() + ":" + number + " writer " + record.key() + " has sequence "
                    + sequence + " again (duplicated), where " + thread.next + " was expected");
        } else {
            thread.seen.set((int) sequence);
            if (sequence != thread.next) {
                result.problem(() -> file.getFileName() + ":" + number + " writer " + record.key() + " has sequence "
                        + sequence + " where " + thread.next + " was expected (lost or reordered)");
            }
        }
        thread.next = Math.max(thread.next, sequence + 1);
    }

    /** Whether {@code line} is the beginning of the record some killed writer's thread was publishing when it died. */
    private boolean isUnfinishedRecordOfKilled(String line) {
        for (String inFlight : inFlightOfKilled.values()) {
            if (!line.isEmpty() && agreement(line, inFlight) == line.length()
                    && (line.length() < inFlight.length() || timed(inFlight))) {
                return true; // a whole timed record is intact, and counted before this is asked
            }
        }
        return false;
    }

    /** Whether {@code inFlight} is the beginning of a timed record up to its time (see {@link #expectKilledTimed}). */
    private static boolean timed(String inFlight) {
        return inFlight.endsWith("@");
    }

    /**
     * How many characters at the beginning of {@code line} agree with the record {@code inFlight}: all of them, for a
     * timed one, up to its time and then any digits, {@code " C"} and any hexadecimal digits.
     */
    private static int agreement(String line, String inFlight) {
        int common = 0;
        int most = Math.min(inFlight.length(), line.length());
        while (common < most && line.charAt(common) == inFlight.charAt(common)) {
            common++;
        }
        if (timed(inFlight) && common == inFlight.length()) {
            while (common < line.length() && Character.isDigit(line.charAt(common))) {
                common++;
            }
            if (line.startsWith(" C", common)) {
                common += 2;
                while (common < line.length() && Character.digit(line.charAt(common), 16) >= 0) {
                    common++;
                }
            } else if (common == line.length() - 1 && line.charAt(common) == ' ') {
                common++;
            }
        }
        return common;
    }

    /**
     * Where a whole record starts in {@code line} after the beginning of the record a killed writer was appending when
     * it died, or 0 if the line is not made so: a write cut short by SIGKILL ends at a page boundary, and the next
     * process's append, made without the lock, goes on from there on the same line.
     */
    private int joinedAfterUnfinishedOfKilled(String line) {
        for (String inFlight : inFlightOfKilled.values()) {
            // short of the whole record in flight: two whole records on one line are merged, not joined
            int common = Math.min(agreement(line, inFlight), line.length() - 1);
            if (!timed(inFlight)) {
                common = Math.min(common, inFlight.length() - 1);
            } else if (common > 0 && isIntact(line.substring(0, common))) {
                common--;
            }
            for (int start = common; start > 0; start--) {
                String rest = layout.recordText(line.substring(start));
                RecordFormat.Fields record = rest == null ? null : RecordFormat.parse(rest);
                if (record != null && record.intact()) {
                    return start;
                }
            }
        }
        return 0;
    }

    private static boolean isIntact(String text) {
        RecordFormat.Fields record = RecordFormat.parse(text);
        return record != null && record.intact();
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /**
     * Checks that {@code files} hold exactly the records {@code expected} maps each writer thread to, intact, once
     * each and in order, and nothing else; throws an {@link AssertionError} if not.
     */
    public static Result verify(List<Path> files, Map<String, Long> expected) throws IOException {
        return new LogCheck().expect(expected).check(files).assertOk();
    }

    /**
     * As {@link #verify}, for runs in which writers were killed ({@link #expectKilled}).
     *
     * @return the result, with how many unfinished records of killed writers were found
     */
    public static Result verifyAfterKills(List<Path> files, Map<String, Long> expected,
            Map<String, Long> returnedByKilled, int payloadLength) throws IOException {
        return new LogCheck().expect(expected).expectKilled(returnedByKilled, payloadLength).check(files).assertOk();
    }

    /** The intact records of each writer thread in {@code files}; nothing is judged. */
    public static Map<String, Long> countRecords(List<Path> files) throws IOException {
        return new LogCheck().anyWriter().check(files).records();
    }

    /** What one writer thread left in the files. */
    private static final class WriterThread {
        BitSet seen = new BitSet();
        long records;
        long duplicated;
        long next;
        long expected = -1;

        long distinct() {
            return records - duplicated;
        }

        long lost() {
            return expected < 0 ? 0 : Math.max(0, expected - distinct());
        }
    }

    /** What the check found. */
    public static final class Result {

        private final List<Path> files;
        private final boolean otherLinesAllowed;
        private final Map<String, WriterThread> threads = new TreeMap<>();
        private final List<String> problems = new ArrayList<>();
        private long problemCount;
        private long torn;
        private long unfinished;
        private long joined;
        private long otherLines;
        private long bytes;

        private Result(List<Path> files, boolean otherLinesAllowed) {
            this.files = List.copyOf(files);
            this.otherLinesAllowed = otherLinesAllowed;
        }

        private WriterThread writerThread(String key) {
            return threads.computeIfAbsent(key, k -> new WriterThread());
        }

        /** Counts a problem, and keeps what it says while fewer than {@link #PROBLEMS_SHOWN} are kept. */
        private void problem(Supplier<String> problem) {
            problemCount++;
            if (problems.size() < PROBLEMS_SHOWN) {
                problems.add(problem.get());
            }
        }

        public boolean ok() {
            return problemCount == 0;
        }

        /** Throws an {@link AssertionError} listing the problems, if there are any. */
        public Result assertOk() {
            if (!ok()) {
                throw new AssertionError(problemCount + " problems in " + describeFiles() + ":\n"
                        + String.join("\n", problems) + "\n" + table());
            }
            return this;
        }

        private String describeFiles() {
            return files.size() <= 3 ? files.toString()
                    : files.size() + " files, " + files.get(0) + " to " + files.get(files.size() - 1);
        }

        /** The first {@link #PROBLEMS_SHOWN} problems. */
        public List<String> problems() {
            return List.copyOf(problems);
        }

        public long problemCount() {
            return problemCount;
        }

        /** The intact records of each writer thread, duplicates included. */
        public Map<String, Long> records() {
            Map<String, Long> records = new HashMap<>();
            threads.forEach((key, thread) -> {
                if (thread.records > 0) {
                    records.put(key, thread.records);
                }
            });
            return records;
        }

        /** Records found, each counted once. */
        public long found() {
            return threads.values().stream().mapToLong(WriterThread::distinct).sum();
        }

        /** Expected records not found. */
        public long lost() {
            return threads.values().stream().mapToLong(WriterThread::lost).sum();
        }

        /** Records found again. */
        public long duplicated() {
            return threads.values().stream().mapToLong(thread -> thread.duplicated).sum();
        }

        /** Lines that are neither intact records nor allowed other lines nor unfinished records of killed writers. */
        public long torn() {
            return torn;
        }

        /** Lines that are the unfinished record of a killed writer. */
        /**
         * Lines where the unfinished record of a killed writer is followed by a whole record of another (see
         * {@link LogCheck#expectKilled}); the whole record is counted as found.
         */
        public long joined() {
            return joined;
        }

        public long unfinished() {
            return unfinished;
        }

        /** Lines the layout allows besides the records (a server's own messages). */
        public long otherLines() {
            return otherLines;
        }

        /** The size of the files as they are on disk. */
        public long bytes() {
            return bytes;
        }

        /** A table by writer (its threads added up): expected, found, lost, duplicated; then torn and other lines. */
        public String table() {
            Map<String, long[]> writers = new TreeMap<>();
            threads.forEach((key, thread) -> {
                long[] row = writers.computeIfAbsent(key.substring(0, key.lastIndexOf(" T")), k -> new long[4]);
                row[0] += Math.max(0, thread.expected);
                row[1] += thread.records;
                row[2] += thread.lost();
                row[3] += thread.duplicated;
            });
            StringBuilder text = new StringBuilder(String.format("%-20s %10s %10s %8s %11s%n",
                    "writer", "expected", "found", "lost", "duplicated"));
            writers.forEach((writer, row) -> text.append(String.format("%-20s %10d %10d %8d %11d%n",
                    writer, row[0], row[1], row[2], row[3])));
            text.append("torn or corrupt lines: ").append(torn).append('\n');
            if (unfinished > 0) {
                text.append("unfinished lines of killed writers: ").append(unfinished).append('\n');
            }
            if (otherLinesAllowed) {
                text.append("other lines (the servers' own messages): ").append(otherLines).append('\n');
            }
            return text.toString();
        }
    }

    /** {@code LogCheck [--wildfly-category=CATEGORY] LOG WRITER=THREADSxRECORDS...}: see the class comment. */
    public static void main(String[] args) throws IOException {
        LineLayout layout = LineLayout.plain();
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--wildfly-category=")) {
                layout = LineLayout.wildFlyPattern(arg.substring("--wildfly-category=".length()));
            } else {
                rest.add(arg);
            }
        }
        if (rest.isEmpty()) {
            System.err.println("usage: LogCheck [--wildfly-category=CATEGORY] LOG WRITER=THREADSxRECORDS...");
            System.exit(2);
        }
        LogCheck check = new LogCheck(layout);
        for (String writer : rest.subList(1, rest.size())) {
            String[] nameAndShape = writer.split("=", 2);
            String[] shape = nameAndShape[1].split("x");
            check.expectWriter(nameAndShape[0], Integer.parseInt(shape[0]), Long.parseLong(shape[1]));
        }
        List<Path> files = LogFiles.oldestFirst(Path.of(rest.get(0)));
        Result result = check.check(files);
        System.out.println("Files, oldest first:");
        for (Path file : files) {
            System.out.println("  " + file.getFileName() + " (" + Files.size(file) + " bytes)");
        }
        System.out.print(result.table());
        result.problems().forEach(problem -> System.out.println("PROBLEM " + problem));
        System.out.println(result.ok() ? "RESULT: every record exactly once, intact, in order" : "RESULT: FAILED");
        System.exit(result.ok() ? 0 : 1);
    }
}

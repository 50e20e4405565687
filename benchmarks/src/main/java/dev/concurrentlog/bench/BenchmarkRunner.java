package dev.concurrentlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;

/**
 * Runs every writer in every shape (processes x threads), each run into a fresh file, and reports records/s, MB/s
 * and what was lost, duplicated or torn. Options: {@code --records=TOTAL} per run,
 * {@code --shapes=1x1,4x1,8x1,16x1,4x4}, {@code --writers=all|NAME,...}, {@code --entries=logger,publish} (how
 * records reach the JBoss LogManager handlers, see {@link Entry}), {@code --rotateSize=BYTES} and
 * {@code --maxBackupIndex=N} (of the writers that rotate at 10m otherwise), {@code --runs=N} (rounds of every writer
 * per shape, in turn: the report gives medians, and each ratio is the median of the ratios within a round),
 * {@code --output=DIR} (results.md, chart.png), {@code --work=DIR}.
 */
public final class BenchmarkRunner {

    /** One measured run; {@code round} counts from 1 within its shape and entry. */
    record Result(Writer writer, Entry entry, int processes, int threads, int round, long records, double seconds,
            LogCheck.Result integrity) {
        double recordsPerSecond() {
            return records / seconds;
        }

        /** How the records reached the writer: the entry, for a JBoss LogManager handler; else its own API. */
        String through() {
            return writer.takesEntry() ? entry.label : "own API";
        }

        double megabytesPerSecond() {
            return integrity.bytes() / seconds / (1024 * 1024);
        }
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(option(args, "records", "200000"));
        List<int[]> shapes = shapes(option(args, "shapes", "1x1,4x1,8x1,16x1,4x4"));
        int runs = Integer.parseInt(option(args, "runs", "1"));
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1: " + runs);
        }
        // read by Writer, here and in each writer process
        System.setProperty("bench.rotateSize", option(args, "rotateSize", "10485760"));
        System.setProperty("bench.maxBackupIndex", option(args, "maxBackupIndex", "10000"));
        String writerNames = option(args, "writers", "all");
        List<Writer> writers = writerNames.equals("all") ? List.of(Writer.values())
                : Arrays.stream(writerNames.split(",")).map(String::trim).map(Writer::valueOf).toList();
        List<Entry> entries = Arrays.stream(option(args, "entries", "logger,publish").split(","))
                .map(name -> Entry.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT))).toList();
        Path output = Path.of(option(args, "output", "results"));
        Path work = Path.of(option(args, "work", "target/bench-work"));

        List<Result> results = new ArrayList<>();
        for (int[] shape : shapes) {
            int p = shape[0];
            int t = shape[1];
            int perThread = Math.max(1, total / (p * t));
            for (Entry entry : entries) {
                // in rounds, so that a drift of the machine's speed during a shape touches every writer alike
                for (int round = 1; round <= runs; round++) {
                    for (Writer writer : writers) {
                        if (!writer.takesEntry() && entry != entries.get(0)) {
                            continue; // its own API whatever the entry: measured once per round
                        }
                        Result result = run(work, writer, entry, p, t, round, perThread);
                        results.add(result);
                        System.out.printf("%-42s %-7s %2d x %d, run %d: %,10.0f records/s %7.1f MB/s  lost %d,"
                                + " duplicated %d, torn %d%n", writer.label, result.through(), p, t, round,
                                result.recordsPerSecond(), result.megabytesPerSecond(), result.integrity().lost(),
                                result.integrity().duplicated(), result.integrity().torn());
                    }
                }
            }
        }
        Files.createDirectories(output);
        String table = Report.markdown(results);
        Files.writeString(output.resolve("results.md"), table);
        Report.chart(results, output.resolve("chart.png"));
        System.out.println();
        System.out.println(table);
        System.out.println("Written: " + output.resolve("results.md") + " and " + output.resolve("chart.png"));
    }

    private static Result run(Path work, Writer writer, Entry entry, int processes, int threads, int round,
            int perThread) throws Exception {
        Path dir = work.resolve(writer.name().toLowerCase() + "-" + entry.name().toLowerCase() + "-" + processes + "x"
                + threads);
        deleteTree(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("bench.log");
        List<ChildJvm.Running> started = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                started.add(ChildJvm.of(BenchWriter.class).named(writer + " writer p" + p).jvmOption("-Xmx256m")
                        .jvmOption("-Dbench.rotateSize=" + Writer.ROTATE_SIZE)
                        .jvmOption("-Dbench.maxBackupIndex=" + Writer.BACKUPS)
                        .args(writer.name(), log.toString(), "p" + p, Integer.toString(threads),
                                Integer.toString(perThread), entry.name())
                        .stderrTo(dir.resolve("stderr-p" + p + ".txt")).start());
            }
            for (ChildJvm.Running process : started) {
                process.awaitLine(ChildJvm.READY); // a peer may print its own status lines first
            }
            long start = System.nanoTime();
            for (ChildJvm.Running process : started) {
                process.go();
            }
            for (ChildJvm.Running process : started) {
                process.awaitLine("done");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (ChildJvm.Running process : started) {
                process.awaitSuccess(Duration.ofMinutes(1));
            }
            LogCheck check = new LogCheck();
            for (int p = 0; p < processes; p++) {
                check.expectWriter("p" + p, threads, perThread);
            }
            LogCheck.Result integrity = check.check(LogFiles.oldestFirst(log));
            Result result = new Result(writer, entry, processes, threads, round,
                    (long) processes * threads * perThread, seconds, integrity);
            deleteTree(dir);
            return result;
        } finally {
            started.forEach(ChildJvm.Running::kill);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        return fallback;
    }

    /** {@code PxT,...}: P processes of T threads each. */
    private static List<int[]> shapes(String list) {
        List<int[]> shapes = new ArrayList<>();
        for (String shape : list.split(",")) {
            String[] parts = shape.trim().split("x");
            int processes = parts.length == 2 ? Integer.parseInt(parts[0].trim()) : 0;
            int threads = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 0;
            if (processes < 1 || threads < 1) {
                throw new IllegalArgumentException("shapes: each is PROCESSESxTHREADS, at least 1x1: " + shape);
            }
            shapes.add(new int[] {processes, threads});
        }
        return shapes;
    }
}

package dev.concurrentlog.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs every writer for every number of processes and threads, each run into a fresh file, and reports records/s,
 * MB/s and what was lost, duplicated or torn. Options: {@code --records=TOTAL} per run, {@code --processes=1,2,4,8},
 * {@code --threads=1,4}, {@code --writers=all|NAME,...}, {@code --output=DIR} (results.md, chart.png),
 * {@code --work=DIR}.
 */
public final class BenchmarkRunner {

    /** One measured run. */
    record Result(Writer writer, int processes, int threads, long records, double seconds, Records.Integrity integrity) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double megabytesPerSecond() {
            return integrity.bytes() / seconds / (1024 * 1024);
        }
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(option(args, "records", "200000"));
        int[] processes = numbers(option(args, "processes", "1,2,4,8"));
        int[] threads = numbers(option(args, "threads", "1,4"));
        String writerNames = option(args, "writers", "all");
        List<Writer> writers = writerNames.equals("all") ? List.of(Writer.values())
                : Arrays.stream(writerNames.split(",")).map(String::trim).map(Writer::valueOf).toList();
        Path output = Path.of(option(args, "output", "results"));
        Path work = Path.of(option(args, "work", "target/bench-work"));

        List<Result> results = new ArrayList<>();
        for (int p : processes) {
            for (int t : threads) {
                int perThread = Math.max(1, total / (p * t));
                for (Writer writer : writers) {
                    Result result = run(work, writer, p, t, perThread);
                    results.add(result);
                    System.out.printf("%-42s %2d x %d: %,10.0f records/s %7.1f MB/s  lost %d, duplicated %d, torn %d%n",
                            writer.label, p, t, result.recordsPerSecond(), result.megabytesPerSecond(),
                            result.integrity().lost(), result.integrity().duplicated(), result.integrity().torn());
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

    private static Result run(Path work, Writer writer, int processes, int threads, int perThread) throws Exception {
        Path dir = work.resolve(writer.name().toLowerCase() + "-" + processes + "x" + threads);
        deleteTree(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("bench.log");
        List<Process> started = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                started.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-cp", System.getProperty("java.class.path"), BenchWriter.class.getName(),
                        writer.name(), log.toString(), "p" + p, Integer.toString(threads), Integer.toString(perThread))
                        .redirectError(dir.resolve("stderr-p" + p + ".txt").toFile()).start());
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process process : started) {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                expect(out, "ready", writer, dir);
                outputs.add(out);
            }
            long start = System.nanoTime();
            for (Process process : started) {
                OutputStream in = process.getOutputStream();
                in.write('\n');
                in.flush();
            }
            for (int p = 0; p < started.size(); p++) {
                expect(outputs.get(p), "done", writer, dir);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Process process : started) {
                if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    throw new IllegalStateException(writer + " writer failed; see " + dir);
                }
            }
            Records.Integrity integrity = Records.check(log, processes, threads, perThread);
            Result result = new Result(writer, processes, threads, (long) processes * threads * perThread, seconds,
                    integrity);
            deleteTree(dir);
            return result;
        } finally {
            started.forEach(Process::destroyForcibly);
        }
    }

    private static void expect(BufferedReader out, String word, Writer writer, Path dir) throws IOException {
        String line;
        while ((line = out.readLine()) != null && !line.equals(word)) {
            // a peer may print its own status lines first
        }
        if (line == null) {
            throw new IllegalStateException(writer + " writer ended before \"" + word + "\"; see " + dir);
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

    private static int[] numbers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}

package dev.concurrentlog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link PublishCost} with JMH's gc profiler and writes {@code jmh.md} (ns per publish and bytes allocated per
 * publish) into the output directory given as the first argument.
 */
public final class JmhRunner {

    private JmhRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "results");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(PublishCost.class.getName())
                .addProfiler(GCProfiler.class)
                .build()).run();
        List<String> lines = new ArrayList<>(List.of(
                "| subject | ns per publish | error (99.9%) | bytes allocated per publish |",
                "|---|---:|---:|---:|"));
        for (RunResult result : results) {
            Result<?> time = result.getPrimaryResult();
            Map<String, Result> secondary = result.getSecondaryResults();
            Result<?> allocated = secondary.get("gc.alloc.rate.norm");
            lines.add(String.format("| %s | %,.0f | %,.0f | %s |", result.getParams().getParam("subject"),
                    time.getScore(), time.getScoreError(),
                    allocated == null ? "n/a" : String.format("%,.0f", allocated.getScore())));
        }
        Files.createDirectories(output);
        String table = String.join("\n", lines) + "\n";
        Files.writeString(output.resolve("jmh.md"), table);
        System.out.println(table);
        System.out.println("Written: " + output.resolve("jmh.md"));
    }
}

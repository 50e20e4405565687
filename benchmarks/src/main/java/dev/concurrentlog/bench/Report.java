package dev.concurrentlog.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import javax.imageio.ImageIO;

/** The benchmark report: a markdown table and a bar chart. */
final class Report {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x6baed6), new Color(0xd62728),
            new Color(0xff9896), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x7f7f7f)};

    private Report() {
    }

    /** One writer in one shape: its runs, one per round, in order. */
    record Row(Writer writer, String through, int processes, int threads, List<BenchmarkRunner.Result> runs) {
        /** The records/s of the runs, in ascending order. */
        private double[] sortedRates() {
            return runs.stream().mapToDouble(BenchmarkRunner.Result::recordsPerSecond).sorted().toArray();
        }

        double medianRecordsPerSecond() {
            return median(sortedRates());
        }

        double minRecordsPerSecond() {
            return sortedRates()[0];
        }

        double maxRecordsPerSecond() {
            double[] rates = sortedRates();
            return rates[rates.length - 1];
        }

        boolean intact() {
            return runs.stream().allMatch(r -> r.integrity().lost() + r.integrity().duplicated()
                    + r.integrity().torn() == 0);
        }

        /** The median over the rounds of {@code ours}' records/s over this row's, both from the same round. */
        double ratioOf(Row ours) {
            double[] ratios = new double[runs.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = ours.runs.get(i).recordsPerSecond() / runs.get(i).recordsPerSecond();
            }
            return median(ratios);
        }
    }

    static String markdown(List<BenchmarkRunner.Result> results) {
        int runs = results.stream().mapToInt(BenchmarkRunner.Result::round).max().orElse(1);
        StringBuilder text = new StringBuilder();
        text.append("Measured ").append(LocalDate.now()).append(" on ").append(machine()).append(".\n\n");
        text.append(runs).append(runs == 1 ? " run" : " runs").append(" of each writer per shape, taken in rounds:"
                + " records/s and MB/s are their medians, lost, duplicated and torn their range, and each ratio is the"
                + " median of the ratios within a round.\n\n");
        text.append("| writer | records through | processes x threads | records/s | runs, records/s | MB/s | lost |"
                + " duplicated | torn | rotates | this handler (autoFlush=true) vs it |\n");
        text.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (List<Row> group : groups(results).values()) {
            Row ours = group.stream().filter(r -> r.writer() == Writer.CRH_AUTOFLUSH_TRUE).findFirst().orElse(null);
            for (Row row : group) {
                String ratio = ours == null || row == ours ? "" : String.format("%.2fx", row.ratioOf(ours));
                text.append(String.format(
                        "| %s | %s | %d x %d | %,.0f | %,.0f to %,.0f | %.1f | %s | %s | %s | %s | %s |%n",
                        row.writer().label, row.through(), row.processes(), row.threads(),
                        row.medianRecordsPerSecond(), row.minRecordsPerSecond(), row.maxRecordsPerSecond(),
                        median(row.runs().stream().mapToDouble(BenchmarkRunner.Result::megabytesPerSecond).toArray()),
                        range(row, r -> r.integrity().lost()), range(row, r -> r.integrity().duplicated()),
                        range(row, r -> r.integrity().torn()), row.writer().rotates(), ratio));
            }
        }
        return text.toString();
    }

    private static String range(Row row, ToLongFunction<BenchmarkRunner.Result> count) {
        long min = row.runs().stream().mapToLong(count).min().orElse(0);
        long max = row.runs().stream().mapToLong(count).max().orElse(0);
        return min == max ? String.format("%,d", min) : String.format("%,d to %,d", min, max);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void chart(List<BenchmarkRunner.Result> results, Path file) throws IOException {
        Map<String, List<Row>> groups = groups(results);
        List<Writer> writers = results.stream().map(BenchmarkRunner.Result::writer).distinct().toList();
        int width = 1200;
        int height = 640;
        int left = 90;
        int bottom = 120;
        int top = 50;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double max = groups.values().stream().flatMap(List::stream).mapToDouble(Row::maxRecordsPerSecond).max()
                .orElse(1);
        double scale = niceCeiling(max);
        int plotHeight = height - top - bottom;
        int plotWidth = width - left - 20;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = top + plotHeight - plotHeight * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%,.0f", scale * i / 5), 10, y + 4);
        }
        int groupWidth = plotWidth / Math.max(1, groups.size());
        int barWidth = Math.max(2, (groupWidth - 16) / Math.max(1, writers.size()));
        int index = 0;
        for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
            int x0 = left + index * groupWidth + 8;
            for (Row row : group.getValue()) {
                int w = writers.indexOf(row.writer());
                int barHeight = (int) Math.round(plotHeight * row.medianRecordsPerSecond() / scale);
                int x = x0 + w * barWidth;
                g.setColor(COLORS[w % COLORS.length]);
                g.fillRect(x, top + plotHeight - barHeight, barWidth - 2, barHeight);
                g.setColor(Color.BLACK);
                if (row.runs().size() > 1) { // the range of the runs
                    int low = top + plotHeight - (int) Math.round(plotHeight * row.minRecordsPerSecond() / scale);
                    int high = top + plotHeight - (int) Math.round(plotHeight * row.maxRecordsPerSecond() / scale);
                    g.drawLine(x + barWidth / 2 - 1, low, x + barWidth / 2 - 1, high);
                }
                if (!row.intact()) {
                    int above = top + plotHeight - (int) Math.round(plotHeight * row.maxRecordsPerSecond() / scale);
                    g.drawString("!", x + barWidth / 2 - 2, above - 3);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(group.getKey(), x0 + groupWidth / 2 - 30, top + plotHeight + 18);
            index++;
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        int runs = results.stream().mapToInt(BenchmarkRunner.Result::round).max().orElse(1);
        g.drawString("records/s into one shared file, by processes x threads (\"!\": records lost, duplicated or torn"
                + (runs > 1 ? "; medians of " + runs + " runs, line: their range)" : ")"), left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int w = 0; w < writers.size(); w++) {
            int x = left + (w % 3) * 360;
            int y = height - bottom + 45 + (w / 3) * 20;
            g.setColor(COLORS[w % COLORS.length]);
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(writers.get(w).label, x + 18, y);
        }
        g.drawString(LocalDate.now() + ", " + machine(), left, height - 12);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** The rows of each shape and entry, in the order measured; each row holds a writer's runs. */
    private static Map<String, List<Row>> groups(List<BenchmarkRunner.Result> results) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        for (BenchmarkRunner.Result result : results) {
            String shape = result.processes() + " x " + result.threads() + ", " + result.entry().label;
            Row row = rows.computeIfAbsent(shape + "/" + result.writer(), key -> {
                Row created = new Row(result.writer(), result.through(), result.processes(), result.threads(),
                        new ArrayList<>());
                groups.computeIfAbsent(shape, s -> new ArrayList<>()).add(created);
                return created;
            });
            row.runs().add(result);
        }
        return groups;
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap of the runner, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + host + ")";
    }
}

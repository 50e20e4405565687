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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

/** The benchmark report: a markdown table and a bar chart. */
final class Report {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x6baed6), new Color(0xd62728),
            new Color(0xff9896), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x7f7f7f)};

    private Report() {
    }

    static String markdown(List<BenchmarkRunner.Result> results) {
        StringBuilder text = new StringBuilder();
        text.append("Measured ").append(LocalDate.now()).append(" on ").append(machine()).append(".\n\n");
        text.append("| writer | records through | processes x threads | records/s | MB/s | lost | duplicated | torn |"
                + " rotates | this handler (autoFlush=true) vs it |\n");
        text.append("|---|---|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (List<BenchmarkRunner.Result> group : groups(results).values()) {
            BenchmarkRunner.Result ours = group.stream().filter(r -> r.writer() == Writer.CRH_AUTOFLUSH_TRUE).findFirst()
                    .orElse(null);
            for (BenchmarkRunner.Result result : group) {
                String ratio = ours == null || result.writer() == Writer.CRH_AUTOFLUSH_TRUE ? ""
                        : String.format("%.2fx", ours.recordsPerSecond() / result.recordsPerSecond());
                text.append(String.format("| %s | %s | %d x %d | %,.0f | %.1f | %d | %d | %d | %s | %s |%n",
                        result.writer().label, result.through(), result.processes(), result.threads(),
                        result.recordsPerSecond(),
                        result.megabytesPerSecond(), result.integrity().lost(), result.integrity().duplicated(),
                        result.integrity().torn(), result.writer().rotates(), ratio));
            }
        }
        return text.toString();
    }

    static void chart(List<BenchmarkRunner.Result> results, Path file) throws IOException {
        Map<String, List<BenchmarkRunner.Result>> groups = groups(results);
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
        double max = results.stream().mapToDouble(BenchmarkRunner.Result::recordsPerSecond).max().orElse(1);
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
        for (Map.Entry<String, List<BenchmarkRunner.Result>> group : groups.entrySet()) {
            int x0 = left + index * groupWidth + 8;
            for (BenchmarkRunner.Result result : group.getValue()) {
                int w = writers.indexOf(result.writer());
                int barHeight = (int) Math.round(plotHeight * result.recordsPerSecond() / scale);
                g.setColor(COLORS[w % COLORS.length]);
                g.fillRect(x0 + w * barWidth, top + plotHeight - barHeight, barWidth - 2, barHeight);
                if (result.integrity().lost() + result.integrity().duplicated() + result.integrity().torn() > 0) {
                    g.setColor(Color.BLACK);
                    g.drawString("!", x0 + w * barWidth + barWidth / 2 - 2, top + plotHeight - barHeight - 3);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(group.getKey(), x0 + groupWidth / 2 - 30, top + plotHeight + 18);
            index++;
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("records/s into one shared file, by processes x threads (\"!\": records lost, duplicated or torn)",
                left, 30);
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

    private static Map<String, List<BenchmarkRunner.Result>> groups(List<BenchmarkRunner.Result> results) {
        return results.stream().collect(Collectors.groupingBy(r -> r.processes() + " x " + r.threads() + ", "
                        + r.entry().label,
                LinkedHashMap::new, Collectors.toList()));
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

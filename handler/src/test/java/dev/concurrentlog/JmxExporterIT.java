package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.concurrentlog.testkit.ChildJvm;

/**
 * The exporter rule file in {@code docs/prometheus/} works: a JVM with the Prometheus JMX exporter's agent and that
 * file writes a log through the handler, and its {@code /metrics} on loopback carries the LogFile counters with the
 * values the handler counted.
 */
class JmxExporterIT {

    private static final Path RULES = Path.of("..", "docs", "prometheus", "jmx-exporter.yaml");

    @TempDir
    Path dir;

    @Test
    void theRuleFileExportsTheCountersOfEachLogFile() throws Exception {
        assertTrue(Files.isRegularFile(RULES), RULES.toAbsolutePath() + " is missing");
        Path log = dir.resolve("exported.log");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path agent = codeSource(io.prometheus.jmx.JavaAgent.class);
        try (ChildJvm.Running writer = ChildJvm.of(MonitoredWriter.class).named("exported")
                .stderrTo(dir.resolve("exported.err"))
                .jvmOption("-javaagent:" + agent + "=127.0.0.1:" + port + ":" + RULES.toAbsolutePath())
                .args(log.toString(), "e", "2", "2000", "hold").start()) {
            writer.awaitReady();
            writer.go();
            writer.awaitLine("written");
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            String body = metrics.body();
            String label = "{path=\"" + log.toAbsolutePath() + "\",}";
            System.out.println(body.lines().filter(line -> line.startsWith("concurrentlog_")).reduce("",
                    (all, line) -> all + line + System.lineSeparator()));
            assertEquals(4000.0, value(body, "concurrentlog_logfile_recordswritten_total", label), body);
            assertEquals((double) MonitoredWriter.bytes("e", 2, 2000),
                    value(body, "concurrentlog_logfile_byteswritten_total", label), body);
            assertTrue(value(body, "concurrentlog_logfile_rotationsbysize_total", label) > 0, body);
            assertEquals(0.0, value(body, "concurrentlog_logfile_recordsdropped_total", label), body);
            assertTrue(value(body, "concurrentlog_logfile_generation", label) > 0, body);
            assertTrue(body.contains("# TYPE concurrentlog_logfile_compressionjobswaiting gauge"), body);
            writer.stop();
            writer.awaitLine("done");
            writer.awaitSuccess(Duration.ofMinutes(1));
        }
    }

    /** The value of {@code metric} with exactly {@code labels}. */
    private static double value(String body, String metric, String labels) {
        String withLabels = labels.replace(",}", "}");
        Matcher line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*\\}) (\\S+)$", Pattern.MULTILINE)
                .matcher(body);
        while (line.find()) {
            if (line.group(1).equals(labels) || line.group(1).equals(withLabels)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError(metric + labels + " not found");
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

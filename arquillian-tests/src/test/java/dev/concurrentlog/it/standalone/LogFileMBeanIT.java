package dev.concurrentlog.it.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.concurrentlog.it.Management;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.load.LoadClient;
import dev.concurrentlog.it.LoadApplication;
import dev.concurrentlog.testkit.load.LoadServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handler's {@code dev.concurrentlog:type=LogFile} MBean in a running server (sa1): read from the server's MBean
 * server after the server logged through the handler, its counts match the log the verifier read; it goes with the
 * handler.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LogFileMBeanIT {

    private static final String HANDLER = "MONITORED";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(name = "load", testable = false)
    @TargetsContainer("sa1")
    static WebArchive loadApplication() {
        return LoadApplication.war().addClasses(MBeanReader.class);
    }

    @ArquillianResource
    @TargetsContainer("sa1")
    private ManagementClient managementClient;

    private Management management;
    private final LoadClient sa1 = LoadClient.onPort("sa1", Integer.getInteger("sa1.http.port"));

    @AfterEach
    void tearDown() throws IOException {
        management.undo();
    }

    @Test
    void theMBeanCountsWhatTheServerWroteAndGoesWithTheHandler() throws Exception {
        management = new Management(managementClient.getControllerClient(), "sa1");
        Path dir = Files.createDirectories(Path.of(System.getProperty("shared.log.dir"), "sa1-mbean"));
        Path log = dir.resolve("monitored.log").toAbsolutePath();
        management.addHandler(HANDLER, Map.of("fileName", log.toString(), "rotateSize", "64k", "maxBackupIndex",
                "1000"));
        management.addLogger(LoadServlet.CATEGORY, HANDLER);

        sa1.load("mbean", 4, 2_000);

        HttpResponse<String> read = mbean(log);
        assertEquals(200, read.statusCode(), read.body());
        Map<String, String> attributes = attributes(read.body());
        System.out.println("LogFile MBean in sa1: " + attributes);
        List<Path> files = LogFiles.oldestFirst(log);
        LoadClient.logCheck().expectWriter("mbean", 4, 2_000).check(files).assertOk();
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        // this server is the file's only writer: every line and byte of the log and its backups is its own
        assertEquals(8_000, Long.parseLong(attributes.get("RecordsWritten")), attributes.toString());
        assertEquals(bytes, Long.parseLong(attributes.get("BytesWritten")), attributes.toString());
        assertEquals(files.size() - 1, Long.parseLong(attributes.get("RotationsBySize")), attributes.toString());
        assertTrue(files.size() > 5, "rotated: " + files);
        assertEquals(log.toString(), attributes.get("Path"));
        for (String zero : List.of("RecordsDropped", "WriteFailures", "LockTimeoutEpisodes", "RotationsByTime")) {
            assertEquals("0", attributes.get(zero), zero);
        }
        assertTrue(Long.parseLong(attributes.get("Generation")) > 0, attributes.toString());

        management.undo(); // the handler goes, and its MBean with it
        assertEquals(404, mbean(log).statusCode(), "unregistered with the last handler on the file");
    }

    private HttpResponse<String> mbean(Path log) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + Integer.getInteger("sa1.http.port") + "/load/mbean?path="
                + URLEncoder.encode(log.toString(), StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> attributes(String body) {
        Map<String, String> attributes = new HashMap<>();
        for (String line : body.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                attributes.put(line.substring(0, equals), line.substring(equals + 1).trim());
            }
        }
        return attributes;
    }
}

package dev.concurrentlog.it.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.concurrentlog.it.LoadClient;
import dev.concurrentlog.it.Management;
import dev.concurrentlog.it.SharedLogCheck;
import dev.concurrentlog.it.app.LoadServlet;
import dev.concurrentlog.it.app.RecordText;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A managed WildFly 39 domain (wildfly-arquillian-container-domain-managed 5.0.0.Alpha5): server-one and server-two
 * of main-server-group, the handler configured once in the group's profile ({@code full}) with one shared file. Both
 * servers log at once while the file rotates.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DomainServerGroupIT {

    private static final String HANDLER = "SHARED";

    @Deployment(testable = false)
    @TargetsContainer("main-server-group")
    static WebArchive loadApplication() {
        return ShrinkWrap.create(WebArchive.class, "load.war").addClasses(LoadServlet.class, RecordText.class);
    }

    private ModelControllerClient client;
    private Management profile;

    @BeforeEach
    void connect() throws IOException {
        client = ModelControllerClient.Factory.create("127.0.0.1", Integer.getInteger("domain.management.port"));
        profile = new Management(client, "domain profile full", "profile", "full");
    }

    @AfterEach
    void undo() throws IOException {
        try {
            profile.undo();
        } finally {
            client.close();
        }
    }

    @Test
    void bothServersOfTheGroupShareOneRotatingFile() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("shared.log.dir"), "domain"));
        Path log = dir.resolve("server-group.log");
        profile.addHandler(HANDLER, Map.of("fileName", log.toString(), "rotateSize", "64k",
                "maxBackupIndex", "1000"));
        profile.addLogger(LoadServlet.CATEGORY, HANDLER);

        LoadClient one = LoadClient.onPort("server-one", Integer.getInteger("server-one.http.port"));
        LoadClient two = LoadClient.onPort("server-two", Integer.getInteger("server-two.http.port"));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> loads = List.of(
                    clients.submit(() -> {
                        one.load("server-one", 4, 5_000);
                        return null;
                    }),
                    clients.submit(() -> {
                        two.load("server-two", 4, 5_000);
                        return null;
                    }));
            for (Future<Object> load : loads) {
                load.get();
            }
        } finally {
            clients.shutdownNow();
        }

        List<Path> files = SharedLogCheck.filesOldestFirst(log, 1000);
        assertTrue(files.size() > 20, "the shared file rotated many times: " + files.size() + " files");
        SharedLogCheck.Summary summary = SharedLogCheck.check(files,
                Map.of("server-one", new int[] {4, 5_000}, "server-two", new int[] {4, 5_000}));
        assertTrue(summary.ok(), summary.problems() + "\n" + summary.table());
        for (Path file : files) {
            assertTrue(Files.size(file) <= 64 * 1024, file + " is over rotateSize 64k: " + Files.size(file));
        }
    }

    @Test
    void bothServersShareOnePerMinuteGzFileAcrossABoundary() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("shared.log.dir"), "domain-timed"));
        Path log = dir.resolve("server-group.log");
        profile.addHandler(HANDLER, Map.of("fileName", log.toString(), "suffix", ".yyyy-MM-dd-HH-mm.gz",
                "timeZone", "UTC", "rotateSize", "0"));
        profile.addLogger(LoadServlet.CATEGORY, HANDLER);

        LoadClient one = LoadClient.onPort("server-one", Integer.getInteger("server-one.http.port"));
        LoadClient two = LoadClient.onPort("server-two", Integer.getInteger("server-two.http.port"));
        long boundary = System.currentTimeMillis() / 60_000 * 60_000 + 60_000;
        // both servers log at once: a round now, one just before the boundary of the real clock, one after it
        long[] rounds = {0, boundary - 2_000, boundary + 1_000};
        Map<String, int[]> expected = new HashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds.length; round++) {
                LoadClient.awaitClock(rounds[round]);
                List<Future<Object>> loads = new ArrayList<>();
                for (LoadClient server : List.of(one, two)) {
                    String writer = server.server() + "-" + round;
                    expected.put(writer, new int[] {4, 2_000});
                    loads.add(clients.submit(() -> {
                        server.load(writer, 4, 2_000);
                        return null;
                    }));
                }
                for (Future<Object> load : loads) {
                    load.get();
                }
            }
        } finally {
            clients.shutdownNow();
        }

        List<Path> files = SharedLogCheck.awaitCompressed(log);
        assertTrue(files.size() >= 2 && files.get(0).getFileName().toString().endsWith(".gz"),
                "rotated once at the boundary and compressed: " + files);
        SharedLogCheck.Summary summary = SharedLogCheck.check(files, expected);
        assertTrue(summary.ok(), summary.problems() + "\n" + summary.table());
    }
}

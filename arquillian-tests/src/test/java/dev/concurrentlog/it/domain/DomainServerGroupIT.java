package dev.concurrentlog.it.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.concurrentlog.testkit.load.LoadClient;
import dev.concurrentlog.it.LoadApplication;
import dev.concurrentlog.it.Management;
import dev.concurrentlog.testkit.load.LoadServlet;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.SizeRule;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.controller.client.ModelControllerClient;
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
    /** The length of a backup's date, {@code 2026-11-26-10-15}. */
    private static final int DATE_LENGTH = "yyyy-MM-dd-HH-mm".length();

    @Deployment(testable = false)
    @TargetsContainer("main-server-group")
    static WebArchive loadApplication() {
        return LoadApplication.war();
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

    // one handler configured once in the group's profile; TwoStandaloneServersIT: each server configured on its own
    @Test
    void bothServersOfTheGroupShareOneRotatingFile() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("shared.log.dir"), "domain"));
        Path log = dir.resolve("server-group.log");
        profile.addHandler(HANDLER, Map.of("fileName", log.toString(), "rotateSize", "64k",
                "maxBackupIndex", "1000"));
        profile.addLogger(LoadServlet.CATEGORY, HANDLER);

        LoadClient.loadAtOnce(servers(), "", 4, 5_000);

        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 20, "the shared file rotated many times: " + files.size() + " files");
        LoadClient.logCheck().expectWriter("server-one", 4, 5_000).expectWriter("server-two", 4, 5_000).check(files)
                .assertOk();
        SizeRule.verifyAtMost(files, 64 * 1024);
    }

    // the group's servers at once; StandaloneServerIT.switchedLiveToAPerMinuteGzSuffix...: one server, set live
    @Test
    void bothServersShareOnePerMinuteGzFileAcrossABoundary() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("shared.log.dir"), "domain-timed"));
        Path log = dir.resolve("server-group.log");
        profile.addHandler(HANDLER, Map.of("fileName", log.toString(), "suffix", ".yyyy-MM-dd-HH-mm.gz",
                "timeZone", "UTC", "rotateSize", "0"));
        profile.addLogger(LoadServlet.CATEGORY, HANDLER);

        // both servers log at once: a round now, one just before the boundary of the real clock, one after it
        List<String> writers = LoadClient.roundsAcrossTheNextMinute(servers(), 4, 2_000);

        List<Path> files = LogFiles.awaitCompressed(log, DATE_LENGTH, ".gz", Duration.ofMinutes(1));
        assertTrue(files.size() >= 2 && files.get(0).getFileName().toString().endsWith(".gz"),
                "rotated once at the boundary and compressed: " + files);
        LogCheck check = LoadClient.logCheck();
        writers.forEach(writer -> check.expectWriter(writer, 4, 2_000));
        check.check(files).assertOk();
    }

    private static List<LoadClient> servers() {
        return List.of(LoadClient.onPort("server-one", Integer.getInteger("server-one.http.port")),
                LoadClient.onPort("server-two", Integer.getInteger("server-two.http.port")));
    }
}

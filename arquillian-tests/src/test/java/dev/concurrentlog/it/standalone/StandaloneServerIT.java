package dev.concurrentlog.it.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.concurrentlog.testkit.load.LoadClient;
import dev.concurrentlog.it.LoadApplication;
import dev.concurrentlog.it.Management;
import dev.concurrentlog.testkit.load.LoadServlet;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import dev.concurrentlog.testkit.SizeRule;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One running standalone server (sa1): the handler added through management operations, under load. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StandaloneServerIT {

    private static final String HANDLER = "SHARED";

    @Deployment(name = "load", testable = false)
    @TargetsContainer("sa1")
    static WebArchive loadApplication() {
        return LoadApplication.war();
    }

    @ArquillianResource
    @TargetsContainer("sa1")
    private ManagementClient managementClient;

    private Management management;
    private Path dir;
    private final LoadClient sa1 = LoadClient.onPort("sa1", Integer.getInteger("sa1.http.port"));

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        management = new Management(managementClient.getControllerClient(), "sa1");
        dir = Path.of(System.getProperty("shared.log.dir"), "sa1-" + test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        management.undo();
    }

    private void addHandlerAndLogger(Map<String, String> properties) throws IOException {
        management.addHandler(HANDLER, properties);
        management.addLogger(LoadServlet.CATEGORY, HANDLER);
    }

    // one server, and every backup full: each rotation once, when due; the two-server tests check the upper bound
    @Test
    void everyRecordArrivesIntactAndTheFileRotatesAtTheConfiguredSize() throws Exception {
        Path log = dir.resolve("shared.log");
        addHandlerAndLogger(Map.of("fileName", log.toString(), "rotateSize", "64k", "maxBackupIndex", "1000"));

        sa1.load("sa1", 4, 2_000);

        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 10, "rotated: " + files);
        LoadClient.logCheck().expectWriter("sa1", 4, 2_000).check(files).assertOk();
        SizeRule.verify(log, 64 * 1024, 300);
    }

    @Test
    void keepsTheConfiguredNumberOfBackups() throws Exception {
        Path log = dir.resolve("shared.log");
        addHandlerAndLogger(Map.of("fileName", log.toString(), "rotateSize", "16k", "maxBackupIndex", "3"));

        sa1.load("sa1", 2, 1_000);

        for (int index = 1; index <= 3; index++) {
            assertTrue(Files.isRegularFile(LogFiles.backup(log, index)), "backup " + index);
        }
        assertFalse(Files.exists(LogFiles.backup(log, 4)), "backup 4 must not exist with maxBackupIndex 3");
    }

    @Test
    void liveChangesOfRotateSizeMaxBackupIndexAndFileNameLoseNothing() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        addHandlerAndLogger(Map.of("fileName", first.toString(), "rotateSize", "1m", "maxBackupIndex", "500"));
        ExecutorService load = Executors.newSingleThreadExecutor();
        try {
            Future<?> running = load.submit(() -> {
                sa1.load("live", 4, 5_000);
                return null;
            });
            management.putProperty(HANDLER, "rotateSize", "32k");
            management.putProperty(HANDLER, "maxBackupIndex", "600");
            awaitBackup(first, running);
            management.putProperty(HANDLER, "fileName", second.toString());
            running.get();
        } finally {
            load.shutdownNow();
        }
        // the load may have ended before the change: these records are logged after it, whatever the timing
        sa1.load("after", 2, 50);
        List<Path> files = new ArrayList<>(LogFiles.oldestFirst(first));
        files.addAll(LogFiles.oldestFirst(second));
        assertTrue(Files.exists(LogFiles.backup(first, 1)), "the new rotateSize took effect without a reload");
        assertTrue(Files.exists(second), "the new fileName took effect without a reload");
        LoadClient.logCheck().expectWriter("live", 4, 5_000).expectWriter("after", 2, 50).check(files).assertOk();
    }

    /** Waits until the first backup exists (the 32k rotate size is live) or the load ends. */
    private static void awaitBackup(Path log, Future<?> running) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(LogFiles.backup(log, 1)) && !running.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    // one server, the suffix set live; DomainServerGroupIT.bothServersShareOnePerMinuteGz...: two servers at once
    @Test
    void switchedLiveToAPerMinuteGzSuffixRotatesAtTheBoundaryAndCompresses() throws Exception {
        Path log = dir.resolve("timed.log");
        addHandlerAndLogger(Map.of("fileName", log.toString(), "rotateSize", "0", "timeZone", "UTC"));
        sa1.load("before", 2, 200);
        LogCheck check = LoadClient.logCheck().expectWriter("before", 2, 200);

        management.putProperty(HANDLER, "suffix", ".yyyy-MM-dd-HH-mm.gz");
        // a round (a writer of its own) at once, one just before the boundary of the real clock, one after it
        for (String writer : LoadClient.roundsAcrossTheNextMinute(List.of(sa1), 2, 100)) {
            check.expectWriter(writer, 2, 100);
        }
        List<Path> files = LogFiles.awaitCompressed(log, "yyyy-MM-dd-HH-mm".length(), ".gz", Duration.ofMinutes(1));
        assertTrue(files.size() >= 2 && files.get(0).getFileName().toString().endsWith(".gz"),
                "rotated at the boundary and compressed: " + files);
        check.check(files).assertOk();
    }

    @Test
    void badConfigurationFailsClearlyAndTheServerKeepsLogging() throws Exception {
        Path log = dir.resolve("bad.log");
        String unknown = management.executeExpectingFailure(management.addHandlerOperation("BAD_PROPERTY",
                Management.MODULE, Map.of("fileName", log.toString(), "noSuchProperty", "1")));
        assertTrue(unknown.contains("noSuchProperty"), unknown);

        String module = management.executeExpectingFailure(management.addHandlerOperation("BAD_MODULE",
                "dev.concurrentlog.nosuch", Map.of("fileName", log.toString())));
        assertTrue(module.contains("dev.concurrentlog.nosuch"), module);

        for (String name : List.of("BAD_PROPERTY", "BAD_MODULE")) {
            management.executeExpectingFailure(Operations.createReadResourceOperation(
                    management.logging("custom-handler", name)));
        }
        ModelNode state = management.execute(Operations.createReadAttributeOperation(new ModelNode().setEmptyList(),
                "server-state"));
        assertEquals("running", state.asString());

        // the server's own handlers (FILE: server.log) still log
        sa1.load("after-bad", 1, 3);
        Path serverLog = Path.of(System.getProperty("shared.log.dir")).getParent().resolve("sa1/log/server.log");
        assertTrue(Files.readString(serverLog).contains(RecordFormat.record("after-bad", 0, 2, 60)),
                "the last record reached server.log");
    }

    /**
     * WildFly 39 sets custom-handler properties through jboss-logmanager 2.1's configuration API, which catches what a
     * setter throws, prints it to the server's console ("Failed to invoke setter setRotateSize with value 10x ...
     * Invalid value for property "rotateSize": "10x": ...") and lets the operation succeed. The handler refuses the
     * value and keeps the one it had, so it goes on logging with it. This test pins that behaviour down.
     */
    @Test
    void refusedRotateSizeKeepsThePreviousValueAndLoggingGoesOn() throws Exception {
        Path log = dir.resolve("refused.log");
        addHandlerAndLogger(Map.of("fileName", log.toString(), "rotateSize", "10x", "maxBackupIndex", "5"));
        sa1.load("refused", 2, 500);
        assertFalse(Files.exists(LogFiles.backup(log, 1)), "the default 10m applies, not a broken size");

        management.putProperty(HANDLER, "rotateSize", "16k");
        management.putProperty(HANDLER, "rotateSize", "-1");
        sa1.load("refused-again", 2, 500);
        assertTrue(Files.exists(LogFiles.backup(log, 1)), "16k stayed in force after -1 was refused");
        SizeRule.verifyAtMost(LogFiles.oldestFirst(log), 16 * 1024);
    }
}

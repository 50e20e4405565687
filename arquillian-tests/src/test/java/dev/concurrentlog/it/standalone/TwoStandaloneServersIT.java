package dev.concurrentlog.it.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.concurrentlog.testkit.load.LoadClient;
import dev.concurrentlog.it.LoadApplication;
import dev.concurrentlog.it.Management;
import dev.concurrentlog.testkit.load.LoadServlet;
import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.SizeRule;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two standalone servers at once (sa1 for the suite, sa2 started here), one shared log file, and a restart of sa2.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TwoStandaloneServersIT {

    private static final String HANDLER = "SHARED";
    private static final String SA2_APP = "load-sa2";

    @Deployment(name = "load-sa1", testable = false)
    @TargetsContainer("sa1")
    static WebArchive sa1Application() {
        return application();
    }

    @Deployment(name = SA2_APP, testable = false, managed = false)
    @TargetsContainer("sa2")
    static WebArchive sa2Application() {
        return application();
    }

    private static WebArchive application() {
        return LoadApplication.war();
    }

    @ArquillianResource
    @TargetsContainer("sa1")
    private ManagementClient sa1Client;

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    private ModelControllerClient sa2Client;
    private Management sa1;
    private Management sa2;
    private Path dir;
    private final LoadClient sa1Load = LoadClient.onPort("sa1", Integer.getInteger("sa1.http.port"));
    private final LoadClient sa2Load = LoadClient.onPort("sa2", Integer.getInteger("sa2.http.port"));

    @BeforeEach
    void startSecondServer(TestInfo test) throws IOException {
        dir = Path.of(System.getProperty("shared.log.dir"), "two-" + test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(dir);
        controller.start("sa2");
        deployer.deploy(SA2_APP);
        sa2Client = ModelControllerClient.Factory.create("127.0.0.1", Integer.getInteger("sa2.management.port"));
        sa1 = new Management(sa1Client.getControllerClient(), "sa1");
        sa2 = new Management(sa2Client, "sa2");
    }

    @AfterEach
    void stopSecondServer() throws IOException {
        try {
            sa1.undo();
            sa2.undo();
            deployer.undeploy(SA2_APP);
        } finally {
            sa2Client.close();
            controller.stop("sa2");
        }
    }

    private void configure(Management server, Path log, String rotateSize) throws IOException {
        server.addHandler(HANDLER, Map.of("fileName", log.toString(), "rotateSize", rotateSize,
                "maxBackupIndex", "1000", "append", "true"));
        server.addLogger(LoadServlet.CATEGORY, HANDLER);
    }

    // each server configured on its own; DomainServerGroupIT: one handler configured once in the group's profile
    @Test
    void twoServersLoggingAtOnceShareOneRotatingFile() throws Exception {
        Path log = dir.resolve("shared.log");
        configure(sa1, log, "64k");
        configure(sa2, log, "64k");

        LoadClient.loadAtOnce(List.of(sa1Load, sa2Load), "", 4, 5_000);

        List<Path> files = LogFiles.oldestFirst(log);
        assertTrue(files.size() > 20, "rotated many times: " + files.size());
        LoadClient.logCheck().expectWriter("sa1", 4, 5_000).expectWriter("sa2", 4, 5_000).check(files).assertOk();
        SizeRule.verifyAtMost(files, 64 * 1024);
    }

    @Test
    void afterARestartWithAppendTheFileContinues() throws Exception {
        Path log = dir.resolve("restart.log");
        configure(sa2, log, "10m");
        sa2Load.load("before", 2, 500);
        long sizeBefore = Files.size(log);

        controller.stop("sa2");
        controller.start("sa2");

        sa2Load.load("after", 2, 500);
        assertTrue(Files.size(log) > sizeBefore, "the file grew after the restart");
        LogCheck.Result result = LoadClient.logCheck().expectWriter("before", 2, 500).expectWriter("after", 2, 500)
                .check(List.of(log));
        assertTrue(result.ok(), "nothing truncated or lost across the restart: " + result.problems());
        String text = Files.readString(log);
        assertTrue(text.indexOf("Wbefore") < text.indexOf("Wafter"), "records from before the restart come first");
    }
}

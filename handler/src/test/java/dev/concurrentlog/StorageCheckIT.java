package dev.concurrentlog;

import static dev.concurrentlog.StorageCheckCommand.logManagerClassPath;
import static dev.concurrentlog.StorageCheckCommand.passed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage checker run as an operator runs it, in processes of its own: every check passes on the build's temporary
 * directory, on a tmpfs, from a WildFly install's modules without being told where jboss-logmanager is, and across
 * "hosts" that serve and join over loopback. {@link StorageCheckFaultsIT} shows each check fail.
 */
class StorageCheckIT {

    private static final int CHECKS = StorageCheckCoordinator.CHECKS.size();

    @TempDir
    Path dir;

    @Test
    void everyCheckPassesOnTheBuildsTemporaryDirectory() throws Exception {
        Path checked = Files.createDirectory(dir.resolve("checked"));
        StorageCheckCommand check = new StorageCheckCommand(dir, "check", "check", checked.toString(), "--json",
                "--logmanager", logManagerClassPath());
        assertEquals(0, check.run(), check.output() + check.errors());
        assertEquals(CHECKS, passed(check.output()), check.output());
        assertTrue(check.output().contains("\"fileSystem\":{\"type\":"), check.output());
        try (var left = Files.list(checked)) {
            assertEquals(0, left.count(), "the checker removes its files");
        }
    }

    @Test
    void everyCheckPassesOnATmpfs() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("tmpfs"));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mountPoint.toString()) == 0;
        Path checked = mountPoint;
        if (!mounted) {
            MountInfo shm = MountInfo.of(Path.of("/dev/shm"));
            String reason = "cannot mount a tmpfs (not root?) and /dev/shm is " + (shm == null ? "missing" : shm.type());
            System.out.println("everyCheckPassesOnATmpfs: " + (shm != null && shm.type().equals("tmpfs")
                    ? "using /dev/shm: cannot mount a tmpfs" : "skipped: " + reason));
            Assumptions.assumeTrue(shm != null && shm.type().equals("tmpfs"), reason);
            checked = Files.createTempDirectory(Path.of("/dev/shm"), "storage-check-");
        }
        try {
            StorageCheckCommand check = new StorageCheckCommand(dir, "check", "check", checked.toString(), "--json",
                    "--logmanager", logManagerClassPath());
            assertEquals(0, check.run(), check.output() + check.errors());
            assertEquals(CHECKS, passed(check.output()), check.output());
            assertTrue(check.output().contains("\"fileSystem\":{\"type\":\"tmpfs\""), check.output());
        } finally {
            if (mounted) {
                assertEquals(0, run("umount", mountPoint.toString()));
            } else {
                Files.delete(checked);
            }
        }
    }

    /** {@code java -jar $JBOSS_HOME/modules/dev/concurrentlog/main/<jar> check DIR}, and nothing else. */
    @Test
    void findsJbossLogManagerInTheModulesOfAWildFlyInstall() throws Exception {
        Path jar = StorageCheckCommand.handlerJar();
        Assumptions.assumeFalse(Files.isDirectory(jar), "the tests run from classes, not from the handler jar");
        Path modules = dir.resolve("wildfly/modules");
        Path module = Files.createDirectories(modules.resolve("dev/concurrentlog/main"));
        Path installed = Files.copy(jar, module.resolve(jar.getFileName()));
        // as WildFly lays them out: each module's module.xml names its jar and the modules it needs
        module(org.jboss.logmanager.ExtHandler.class, modules, "org.jboss.logmanager", "java.logging",
                "org.jboss.modules", "org.wildfly.common");
        module(org.wildfly.common.Assert.class, modules, "org.wildfly.common", "java.xml");
        Path checked = Files.createDirectory(dir.resolve("checked"));
        StorageCheckCommand check = new StorageCheckCommand(dir, "check", installed, "check", checked.toString(),
                "--checks", "handler", "--processes", "2");
        assertEquals(0, check.run(), check.output() + check.errors());
        assertTrue(check.output().contains("PASS handler:"), check.output());
    }

    @Test
    void twoHostsServeAndJoinOverLoopback() throws Exception {
        Path checked = Files.createDirectory(dir.resolve("checked"));
        // the second "host" mounts the same directory elsewhere
        Path elsewhere = Files.createSymbolicLink(dir.resolve("elsewhere"), checked);
        StorageCheckCommand serve = new StorageCheckCommand(dir, "serve", "serve", checked.toString(), "--processes",
                "4", "--bind", "127.0.0.1", "--port", "0", "--json");
        Process server = serve.start();
        try {
            String port = awaitPort(serve, server);
            StorageCheckCommand first = new StorageCheckCommand(dir, "join1", "join", "127.0.0.1:" + port,
                    checked.toString(), "--processes", "2", "--logmanager", logManagerClassPath());
            StorageCheckCommand second = new StorageCheckCommand(dir, "join2", "join", "127.0.0.1:" + port,
                    elsewhere.toString(), "--processes", "2", "--logmanager", logManagerClassPath());
            Process one = first.start();
            Process two = second.start();
            assertEquals(0, serve.awaitExit(server), serve.output() + serve.errors());
            assertEquals(CHECKS, passed(serve.output()), serve.output());
            assertEquals(4, StorageCheckCommand.count(serve.output(), " at 127.0.0.1"), serve.output());
            assertEquals(0, first.awaitExit(one), first.errors());
            assertEquals(0, second.awaitExit(two), second.errors());
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    @Test
    void badUsageExitsWith2() throws Exception {
        StorageCheckCommand missing = new StorageCheckCommand(dir, "missing", "check",
                dir.resolve("no-such-dir").toString());
        assertEquals(2, missing.run());
        assertTrue(missing.errors().contains("is not a directory"), missing.errors());
        StorageCheckCommand unknown = new StorageCheckCommand(dir, "unknown", "check", dir.toString(), "--checks",
                "locks");
        assertEquals(2, unknown.run());
        assertTrue(unknown.errors().contains("unknown check locks"), unknown.errors());
    }

    private static String awaitPort(StorageCheckCommand serve, Process server) throws Exception {
        Pattern waiting = Pattern.compile("waiting for 4 processes on port (\\d+)");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() - deadline < 0 && server.isAlive()) {
            Matcher matcher = waiting.matcher(serve.errors());
            if (matcher.find()) {
                return matcher.group(1);
            }
            server.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("serve did not say its port: " + serve.errors());
    }

    private static void module(Class<?> type, Path modules, String name, String... dependencies) throws Exception {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path directory = Files.createDirectories(modules.resolve("system/layers/base")
                .resolve(name.replace('.', '/')).resolve("main"));
        Files.copy(jar, directory.resolve(jar.getFileName()));
        StringBuilder xml = new StringBuilder("<module name=\"" + name + "\" xmlns=\"urn:jboss:module:1.9\">\n"
                + "    <resources>\n        <resource-root path=\"" + jar.getFileName() + "\"/>\n    </resources>\n"
                + "    <dependencies>\n");
        for (String dependency : dependencies) {
            xml.append("        <module name=\"").append(dependency).append("\"/>\n");
        }
        Files.writeString(directory.resolve("module.xml"), xml.append("    </dependencies>\n</module>\n"));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getInputStream().transferTo(System.out);
            return process.waitFor();
        } catch (IOException e) {
            return -1; // no such program
        }
    }
}

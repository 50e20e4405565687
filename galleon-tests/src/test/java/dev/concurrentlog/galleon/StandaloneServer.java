package dev.concurrentlog.galleon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;

/**
 * One run of {@code bin/standalone.sh} of a provisioned server, as a child process whose output goes to a file.
 * Waits on what it can observe (the console file, the process), never for a fixed time.
 */
final class StandaloneServer {

    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final String STARTED = "WFLYSRV0025";
    static final String STARTED_WITH_ERRORS = "WFLYSRV0026";
    static final String STOPPED = "WFLYSRV0050";

    private final Process process;
    private final Path console;
    private final int managementPort;

    private StandaloneServer(Process process, Path console, int managementPort) {
        this.process = process;
        this.console = console;
        this.managementPort = managementPort;
    }

    /**
     * Starts {@code jbossHome/bin/standalone.sh} with the given base directory, port offset, system properties and
     * environment variables, and returns once the server has logged that it started (failing if it started with
     * errors or ended). The handler's variables CONCURRENTLOG_* are only those given.
     */
    static StandaloneServer boot(Path jbossHome, Path baseDir, int portOffset, int managementPort,
                                 Map<String, String> systemProperties, Map<String, String> environmentVariables,
                                 Path console) throws IOException {
        assertPortFree(managementPort);
        List<String> command = new ArrayList<>();
        command.add(jbossHome.resolve("bin/standalone.sh").toString());
        command.add("-Djboss.server.base.dir=" + baseDir);
        command.add("-Djboss.socket.binding.port-offset=" + portOffset);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("JBOSS_HOME", jbossHome.toString());
        environment.keySet().removeIf(name -> name.startsWith("CONCURRENTLOG_"));
        environment.putAll(environmentVariables);
        StandaloneServer server = new StandaloneServer(builder.start(), console, managementPort);
        try {
            server.awaitBoot();
        } catch (IOException | RuntimeException | Error e) {
            server.kill();
            throw e;
        }
        return server;
    }

    private static void assertPortFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        } catch (IOException e) {
            fail("Management port " + port + " is in use by another process; the test server cannot start: " + e);
        }
    }

    private void awaitBoot() throws IOException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (true) {
            String output = consoleText();
            if (output.contains(STARTED)) {
                return;
            }
            if (output.contains(STARTED_WITH_ERRORS)) {
                fail("The server started with errors (" + STARTED_WITH_ERRORS + "); console " + console + ":\n" + output);
            }
            if (exited(100)) {
                fail("The server ended (exit code " + process.exitValue() + ") before it logged " + STARTED
                        + "; console " + console + ":\n" + output);
            }
            if (System.nanoTime() > deadline) {
                fail("The server did not log " + STARTED + " within " + BOOT_TIMEOUT + "; console " + console + ":\n"
                        + output);
            }
        }
    }

    /** {@code :shutdown} through the management port, then waits for the script to end with exit code 0. */
    void shutdown() throws IOException {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                managementPort)) {
            var result = client.execute(Operations.createOperation("shutdown"));
            assertTrue(Operations.isSuccessfulOutcome(result), () -> ":shutdown failed: " + result);
        }
        if (!exited(STOP_TIMEOUT.toMillis())) {
            process.destroyForcibly();
            fail("The server did not end within " + STOP_TIMEOUT + " of :shutdown; console " + console);
        }
        assertEquals(0, process.exitValue(), () -> "exit code of standalone.sh; console " + console);
    }

    /** Ends the process if it still runs (after a failed test). */
    void kill() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    String consoleText() throws IOException {
        return Files.readString(console, StandardCharsets.UTF_8);
    }

    private boolean exited(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }
}

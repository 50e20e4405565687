package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The storage checker as an operator runs it: {@code java -jar <handler jar>} (or, when the tests run from classes,
 * {@code java -cp}), in a process of its own, its output kept in files of the test's directory.
 */
final class StorageCheckCommand {

    private final List<String> command = new ArrayList<>();
    private final Path outputs;
    private final String name;
    private Map<String, String> environment = Map.of();

    /** Runs {@code words} after {@code java -jar <handler jar>}; its output goes to {@code outputs}/{@code name}.*. */
    StorageCheckCommand(Path outputs, String name, String... words) {
        this(outputs, name, handlerJar(), words);
    }

    /** As above, with the handler jar at {@code jar} (or the class directory, if it is one). */
    StorageCheckCommand(Path outputs, String name, Path jar, String... words) {
        this.outputs = outputs;
        this.name = name;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Files.isDirectory(jar)) {
            command.add("-cp");
            command.add(jar.toString());
            command.add(StorageCheck.class.getName());
        } else {
            command.add("-jar");
            command.add(jar.toString());
        }
        command.addAll(Arrays.asList(words));
    }

    /** Environment variables for it and its worker processes, such as {@code JAVA_TOOL_OPTIONS}. */
    StorageCheckCommand environment(Map<String, String> variables) {
        this.environment = variables;
        return this;
    }

    Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout().toFile())
                .redirectError(stderr().toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs it to its end (at most 5 minutes) and returns its exit status; its output is printed. */
    int run() throws IOException, InterruptedException {
        return awaitExit(start());
    }

    int awaitExit(Process process) throws IOException, InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(name + " did not end within 5 minutes: " + output() + errors());
        }
        System.out.println("$ " + String.join(" ", command) + System.lineSeparator() + output() + errors());
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.exists(stdout()) ? Files.readString(stdout()) : "";
    }

    String errors() throws IOException {
        return Files.exists(stderr()) ? Files.readString(stderr()) : "";
    }

    Path stdout() {
        return outputs.resolve(name + ".out");
    }

    Path stderr() {
        return outputs.resolve(name + ".err");
    }

    /** The handler jar the build made (or the class directory when the tests run before packaging). */
    static Path handlerJar() {
        try {
            return Path.of(StorageCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test's class path: jboss-logmanager of the version under test, and what it needs. */
    static String logManagerClassPath() {
        return System.getProperty("java.class.path");
    }

    /** {@code JAVA_TOOL_OPTIONS} that put the Byteman agent with {@code rules} into the checker and its workers. */
    static Map<String, String> byteman(String rules) {
        Path agent = BytemanAgent.jar();
        Path script = codeSource(StorageCheckCommand.class).resolve("storage-check").resolve(rules);
        return Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + agent + "=script:" + script + ",boot:" + agent
                + " -Dorg.jboss.byteman.transform.all=true");
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many checks the JSON report says passed. */
    static long passed(String json) {
        return count(json, "\"result\":\"PASS\"");
    }

    static long count(String text, String part) {
        long count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}

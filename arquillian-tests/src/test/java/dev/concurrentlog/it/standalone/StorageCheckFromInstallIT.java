package dev.concurrentlog.it.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage checker as the README gives it, from the WildFly install the build made, with nothing else:
 * {@code java -jar $JBOSS_HOME/modules/dev/concurrentlog/main/<handler jar> check DIR}. It finds jboss-logmanager and
 * what that needs in the install's modules. No server runs.
 */
class StorageCheckFromInstallIT {

    @TempDir
    Path dir;

    @Test
    void everyCheckPassesFromTheInstallsModules() throws Exception {
        Path module = Path.of(System.getProperty("jboss.home"), "modules/dev/concurrentlog/main");
        Path jar;
        try (Stream<Path> files = Files.list(module)) {
            jar = files.filter(file -> file.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Path output = dir.resolve("check.json");
        Path errors = dir.resolve("check.err");
        Path checked = Files.createDirectory(dir.resolve("checked"));
        Process check = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "check", checked.toString(), "--json"))
                .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        if (!check.waitFor(5, TimeUnit.MINUTES)) {
            check.descendants().forEach(ProcessHandle::destroyForcibly);
            check.destroyForcibly();
        }
        String json = Files.readString(output);
        System.out.println(json + Files.readString(errors));
        assertEquals(0, check.exitValue(), json + Files.readString(errors));
        assertEquals(6, json.split("\"result\":\"PASS\"", -1).length - 1, json);
        assertTrue(Files.readString(errors).isEmpty(), "nothing on standard error: " + Files.readString(errors));
    }
}

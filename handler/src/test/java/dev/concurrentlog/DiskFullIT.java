package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, for real: a {@link DiskFullScenario} JVM runs in a new user and mount namespace ({@code unshare -rm})
 * on a tmpfs of 128 KiB that it fills and frees while the handler writes. Where this machine cannot mount one, the
 * test is skipped and says why.
 */
class DiskFullIT {

    @TempDir
    Path dir;

    @Test
    void fullDiskIsReportedNeverThrowsKeepsBackupsAndLoggingResumesOnceSpaceIsBack() throws Exception {
        Map<String, String> facts = scenario();
        String all = facts.toString();
        assertTrue(facts.containsKey("filled"), "the disk was filled: " + all);
        assertEquals("0", facts.get("thrown"), "publish never throws: " + all);
        assertTrue(Integer.parseInt(facts.get("writeFailures")) > 0, "WRITE_FAILURE reported: " + all);
        assertEquals("true", facts.get("backupsUnchanged"), "no backup deleted or truncated while full: " + all);
        assertEquals("0", facts.get("reportsAfter"), "no reports once space is back: " + all);
        assertEquals("true", facts.get("rotatedAfter"), "rotation resumed once space is back: " + all);
        assertEquals("ok", facts.get("verify"), "records before and after intact, none torn: " + all);
    }

    @Test
    void fullDiskWhileCompressingKeepsTheRawBackupReportsOnceAndCompressesOnceSpaceIsBack() throws Exception {
        Map<String, String> facts = scenario("compression");
        String all = facts.toString();
        assertTrue(facts.get("compressionReports").startsWith("1 Unable to compress"), all);
        assertEquals("true", facts.get("rawKept"), "the raw backup is whole: " + all);
        assertEquals("[]", facts.get("leftovers"), "no temporary or partial compressed file: " + all);
        assertEquals("[]", facts.get("reportsAfter"), "reported once: " + all);
        assertEquals("[.app.log.lock, app.log, app.log.1.gz, app.log.2.gz]", facts.get("filesAfter"), all);
        assertEquals("true", facts.get("compressedAfter"), "both backups compressed, byte for byte: " + all);
    }

    /** Runs {@link DiskFullScenario} on its own tmpfs, or skips the test where none can be mounted. */
    private Map<String, String> scenario(String... arguments) throws Exception {
        Path mount = Files.createDirectory(dir.resolve("tmpfs"));
        Result probe = run(List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=128k tmpfs \"$1\"", "sh",
                mount.toString()));
        Assumptions.assumeTrue(probe.exit() == 0,
                "cannot mount a size-limited tmpfs in a new mount namespace here (unshare -rm, mount -t tmpfs): "
                        + probe.output());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=128k tmpfs \"$1\" && shift && exec \"$@\"", "sh",
                mount.toString(), java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                DiskFullScenario.class.getName(), mount.toString()));
        command.addAll(List.of(arguments));
        Result scenario = run(command);
        System.out.println(scenario.output());
        assertEquals(0, scenario.exit(), scenario.output());
        Map<String, String> facts = new HashMap<>();
        for (String line : scenario.output().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                facts.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return facts;
    }

    private record Result(int exit, String output) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "out", ".txt");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Result(-2, "timed out: " + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}

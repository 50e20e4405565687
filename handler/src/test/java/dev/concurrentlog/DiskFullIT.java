package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.concurrentlog.testkit.ChildJvm;
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

    /** Mounts the tmpfs on the directory {@code $1}. */
    private static final String MOUNT = "mount -t tmpfs -o size=128k tmpfs \"$1\"";

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
        String probe = probe(mount);
        Assumptions.assumeTrue(probe == null,
                "cannot mount a size-limited tmpfs in a new mount namespace here (unshare -rm, mount -t tmpfs): "
                        + probe);
        ChildJvm.Running scenario = ChildJvm.of(DiskFullScenario.class)
                .launcher("unshare", "-rm", "sh", "-c", MOUNT + " && shift && exec \"$@\"", "sh", mount.toString())
                .jvmOption("-Xmx128m")
                .args(mount.toString()).args(arguments)
                .outputTo(Files.createTempFile(dir, "out", ".txt"))
                .start();
        int exit = scenario.awaitExit(Duration.ofMinutes(2));
        String output = scenario.said();
        System.out.println(output);
        assertEquals(0, exit, output);
        Map<String, String> facts = new HashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                facts.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return facts;
    }

    /** Mounts a tmpfs on {@code mount} in a mount namespace of its own; null if that works, else why not. */
    private String probe(Path mount) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "probe", ".txt");
        Process process;
        try {
            process = new ProcessBuilder("unshare", "-rm", "sh", "-c", MOUNT, "sh", mount.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return e.toString();
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return "timed out: " + Files.readString(output, StandardCharsets.UTF_8);
        }
        return process.exitValue() == 0 ? null : Files.readString(output, StandardCharsets.UTF_8);
    }
}

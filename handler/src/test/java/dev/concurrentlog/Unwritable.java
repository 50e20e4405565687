package dev.concurrentlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

/**
 * Makes a directory one this process may not write, even as root: {@code chmod 555}, and where that does not stop the
 * process (root), {@code chattr +i}. {@link #close()} undoes both, so {@code @TempDir} can delete the directory. If
 * neither works, the test is aborted, saying why.
 */
final class Unwritable implements AutoCloseable {

    private final Path dir;
    private final Set<PosixFilePermission> original;
    private boolean immutable;

    private Unwritable(Path dir, Set<PosixFilePermission> original) {
        this.dir = dir;
        this.original = original;
    }

    static Unwritable make(Path dir) throws IOException {
        Unwritable unwritable = new Unwritable(dir, Files.getPosixFilePermissions(dir));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(dir)) {
            String failure = chattr("+i", dir);
            unwritable.immutable = failure == null;
            if (Files.isWritable(dir)) {
                unwritable.close();
                Assumptions.abort("Cannot make " + dir + " unwritable: chmod 555 does not stop this process (root?)"
                        + " and chattr +i " + (failure == null ? "did not either" : "failed: " + failure));
            }
        }
        return unwritable;
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            String failure = chattr("-i", dir);
            if (failure != null) {
                throw new IOException("chattr -i " + dir + " failed: " + failure);
            }
            immutable = false;
        }
        Files.setPosixFilePermissions(dir, original);
    }

    /** @return null if {@code chattr flag dir} succeeded, else why not */
    private static String chattr(String flag, Path dir) {
        try {
            Process process = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}

package dev.concurrentlog;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The open log file of one {@link SharedLogFile}, and its rotation. Every method is called with the file lock held.
 * Which file is open is checked against the file system on every use (file identity), so a rotation by another
 * process, or a move or delete by an outside tool, makes it reopen the file now at the path.
 */
final class LogFileOutput {

    /** How long after a failed rotation this JVM waits before it tries again. */
    static volatile long rotationRetryNanos = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private FileOutputStream out;
    private Object fileKey;
    private boolean rotationFailed;
    private long rotationFailedAt;

    LogFileOutput(Path path) {
        this.path = path;
    }

    /**
     * Makes sure the open stream writes the file now at the path, opening (and creating) it if there is none, it was
     * rotated or removed by another process, or it was replaced. Returns the file's attributes, read from disk.
     */
    BasicFileAttributes current(RotationPolicy policy) throws IOException {
        BasicFileAttributes attributes = readAttributes();
        if (out != null && attributes != null && Objects.equals(attributes.fileKey(), fileKey)) {
            return attributes;
        }
        close();
        policy.creator().createIfMissing(path);
        // Identity is read before opening: if the path changes in between, the next check sees it and reopens.
        attributes = readAttributes();
        if (attributes == null) {
            throw new NoSuchFileException(path.toString(), null, "removed while being opened");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(path + " is not a regular file; refusing to write through it");
        }
        out = new FileOutputStream(path.toFile(), true);
        fileKey = attributes.fileKey();
        return attributes;
    }

    /** Writes {@code length} bytes with one write call; {@link #current} must have been called. */
    void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
    }

    void truncate() throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.truncate(0);
        }
    }

    /** Whether a rotation may be tried: always, unless one failed less than {@link #rotationRetryNanos} ago. */
    boolean rotationAllowed() {
        return !rotationFailed || System.nanoTime() - rotationFailedAt >= rotationRetryNanos;
    }

    void rotate(RotationPolicy policy) throws IOException {
        close();
        try {
            BackupRotator.rotate(path, policy.maxBackupIndex());
            rotationFailed = false;
        } catch (IOException e) {
            rotationFailed = true;
            rotationFailedAt = System.nanoTime();
            throw new IOException("Unable to rotate " + path + " (records stay in it, rotation is retried): "
                    + e.getMessage(), e);
        }
    }

    void close() {
        FileOutputStream open = out;
        out = null;
        fileKey = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // every byte was already handed to the OS by write; there is nothing to flush
            }
        }
    }

    private BasicFileAttributes readAttributes() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

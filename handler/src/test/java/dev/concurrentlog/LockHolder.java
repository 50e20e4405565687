package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.ParentLink;

/**
 * Another process holding the handler's lock as a process rotating or repairing the log does: byte 0 of the lock file
 * locked, and appends without the lock closed (the ticket in the shared state), until the parent says {@code stop}
 * (any line will do). It says {@code ready} once it holds it. With a second argument {@code backups}, it holds the
 * lock on the backups (byte 2) instead, as a process shifting or compressing them does, and leaves appends open.
 */
public final class LockHolder {

    static final String BACKUPS = "backups";

    /** Starts a lock holder JVM on {@code lockFile} and returns once it holds the lock. */
    static ChildJvm.Running start(Path lockFile) throws IOException {
        return start(lockFile, "mutex");
    }

    /** Starts a holder of the lock on the backups of {@code lockFile} and returns once it holds it. */
    static ChildJvm.Running startOnBackups(Path lockFile) throws IOException {
        return start(lockFile, BACKUPS);
    }

    private static ChildJvm.Running start(Path lockFile, String which) throws IOException {
        ChildJvm.Running holder = ChildJvm.of(LockHolder.class).args(lockFile.toString(), which)
                .stderrTo(Files.createTempFile(lockFile.toAbsolutePath().getParent(), "lock-holder-", ".stderr"))
                .start();
        holder.awaitReady();
        return holder;
    }

    public static void main(String[] args) throws Exception {
        boolean backups = args.length > 1 && args[1].equals(BACKUPS);
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock(backups ? 2 : 0, 1, false)) {
            LockFileState state = LockFileState.map(channel);
            if (state != null && !backups) {
                state.close();
            }
            ParentLink.ready();
            ParentLink.await();
        }
    }
}

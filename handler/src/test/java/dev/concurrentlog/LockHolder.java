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
 * (any line will do). It says {@code ready} once it holds it.
 */
public final class LockHolder {

    /** Starts a lock holder JVM on {@code lockFile} and returns once it holds the lock. */
    static ChildJvm.Running start(Path lockFile) throws IOException {
        ChildJvm.Running holder = ChildJvm.of(LockHolder.class).args(lockFile.toString())
                .stderrTo(Files.createTempFile(lockFile.toAbsolutePath().getParent(), "lock-holder-", ".stderr"))
                .start();
        holder.awaitReady();
        return holder;
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock(0, 1, false)) {
            LockFileState state = LockFileState.map(channel);
            if (state != null) {
                state.close();
            }
            ParentLink.ready();
            ParentLink.await();
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

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

    /**
     * Waits until a thread of this JVM waits in the kernel for the lock on {@code lockFile}: {@code /proc/locks} lists
     * a blocked request ({@code ->}) of this process on the file's inode.
     */
    static void awaitWaiterInThisJvm(Path lockFile) throws IOException {
        String inode = ":" + Files.getAttribute(lockFile, "unix:ino") + " ";
        String pid = " " + ProcessHandle.current().pid() + " ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                if (line.contains("->") && line.contains(pid) && line.contains(inode)) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no thread of this JVM waited for the lock on " + lockFile + " in 30 s");
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

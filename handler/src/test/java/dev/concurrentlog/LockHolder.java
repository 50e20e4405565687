package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process holding the handler's lock (byte 0 of the lock file) until it reads a line on standard input.
 * Prints {@code locked} once it holds it.
 */
public final class LockHolder {

    /** Starts a lock holder JVM on {@code lockFile} and returns once it holds the lock. */
    static Process start(Path lockFile) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), lockFile.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IOException("lock holder did not take the lock: " + line);
        }
        return process;
    }

    /**
     * Waits until a thread of this JVM waits in the kernel for the lock on {@code lockFile}: {@code /proc/locks} lists
     * a blocked request ({@code ->}) of this process on the file's inode.
     */
    static void awaitWaiterInThisJvm(Path lockFile) throws IOException {
        String inode = ":" + java.nio.file.Files.getAttribute(lockFile, "unix:ino") + " ";
        String pid = " " + ProcessHandle.current().pid() + " ";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/locks"))) {
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
            System.out.println("locked");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}

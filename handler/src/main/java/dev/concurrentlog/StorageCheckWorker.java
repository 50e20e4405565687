package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.concurrentlog.testkit.RecordFormat;

/**
 * One process of the {@link StorageCheck}: it connects to the coordinator, on this host or another, and runs what it is
 * told on files in its own view of the checked directory, with the handler's own primitives ({@link LockFileGuard},
 * {@link LockFileState}, an {@code O_APPEND} channel as {@link LogFileOutput} opens it, file identity by
 * {@code fileKey}), and reports what it saw. The coordinator judges.
 * <p>
 * The protocol is one line per message, words separated by spaces; each command is answered by one line, but for the
 * lock check, whose {@code in} and {@code out} the coordinator answers while the command runs.
 * <p>
 * Arguments: the coordinator's {@code HOST:PORT}, the checked directory.
 */
public final class StorageCheckWorker {

    /** How long any one wait of a worker may take before the check fails rather than hangs. */
    static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The largest record of the append check, in bytes with its line break. */
    static final int LARGEST_RECORD = 64 * 1024;

    private final Path directory;
    private final BufferedReader in;
    private final PrintWriter out;
    private final Map<String, LockFileGuard> guards = new HashMap<>();
    private final Map<String, FileChannel> opened = new HashMap<>();
    private final Map<String, Object> openedKeys = new HashMap<>();
    private String writer = "w?";

    private StorageCheckWorker(Path directory, Socket socket) throws IOException {
        this.directory = directory;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StorageCheckWorker HOST:PORT DIRECTORY");
            System.exit(2);
        }
        int colon = args[0].lastIndexOf(':');
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1))),
                10_000);
        socket.setTcpNoDelay(true);
        int status = new StorageCheckWorker(Path.of(args[1]), socket).serve();
        System.exit(status);
    }

    private int serve() throws IOException {
        tell("hello " + ProcessHandle.current().pid());
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return 1; // the coordinator went away
            }
            String[] words = line.split(" ");
            try {
                switch (words[0]) {
                    case "you" -> writer = words[1];
                    case "lock" -> lockRounds(guard(words[1]), Integer.parseInt(words[2]));
                    case "hold" -> hold(guard(words[1]));
                    case "try" -> tryLock(guard(words[1]), Long.parseLong(words[2]));
                    case "after-death" -> lockAfterHolderDied(guard(words[1]), Long.parseLong(words[2]));
                    case "append" -> append(file(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]),
                            Long.parseLong(words[4]));
                    case "counter-init" -> counterInit(guard(words[1]));
                    case "counter" -> counter(guard(words[1]), Long.parseLong(words[2]), Integer.parseInt(words[3]));
                    case "counter-read" -> counterRead(guard(words[1]));
                    case "rename-open" -> renameOpen(words[1]);
                    case "rename-move" -> renameMove(words[1], words[2]);
                    case "rename-write" -> renameWrite(words[1], words[2], Integer.parseInt(words[3]));
                    case "handler" -> tell(StorageCheckHandlerRun.run(file(words[1]), writer,
                            Integer.parseInt(words[2]), Integer.parseInt(words[3]), words[4]));
                    case "release" -> release();
                    case "exit" -> {
                        release();
                        return Integer.parseInt(words[1]);
                    }
                    default -> tell("failed unknown command " + words[0]);
                }
            } catch (IOException | RuntimeException e) {
                tell("failed " + oneLine(e));
            }
        }
    }

    // The OS lock.

    /**
     * Takes and lets go of the OS lock {@code rounds} times, telling the coordinator {@code in} once it holds the lock
     * and {@code out} before it lets go, each answered before it goes on: with a lock that excludes, the coordinator
     * never sees two processes in at once.
     */
    private void lockRounds(LockFileGuard guard, int rounds) throws IOException {
        readyThenGo();
        long waitedNanos = 0;
        long longestNanos = 0;
        for (int round = 0; round < rounds; round++) {
            guard.lockInJvm();
            try {
                long start = System.nanoTime();
                if (!guard.lockFile(LOCK_TIMEOUT_NANOS)) {
                    tell("failed the OS lock was not free within " + TimeUnit.NANOSECONDS.toSeconds(LOCK_TIMEOUT_NANOS)
                            + " s");
                    return;
                }
                long waited = System.nanoTime() - start;
                waitedNanos += waited;
                longestNanos = Math.max(longestNanos, waited);
                exchange("in");
                exchange("out");
            } finally {
                guard.unlockAll();
            }
        }
        tell("done " + rounds + " " + waitedNanos + " " + longestNanos);
    }

    /** Takes the OS lock and keeps it until this process dies (the coordinator says {@code die}). */
    private void hold(LockFileGuard guard) throws IOException {
        guard.lockInJvm();
        if (!guard.lockFile(LOCK_TIMEOUT_NANOS)) {
            guard.unlockAll();
            tell("failed the OS lock was not free within " + TimeUnit.NANOSECONDS.toSeconds(LOCK_TIMEOUT_NANOS) + " s");
            return;
        }
        tell("held");
        String line = in.readLine();
        if ("die".equals(line)) {
            Runtime.getRuntime().halt(137); // no shutdown hook, no close: the kernel drops the locks, as for SIGKILL
        }
        guard.unlockAll();
    }

    /** Tries the OS lock for {@code millis}: {@code locked} or {@code busy}, and how long it took. */
    private void tryLock(LockFileGuard guard, long millis) throws IOException {
        tell(timedLock(guard, millis));
    }

    /** Waits for the OS lock that a process held when it died: {@code locked} once the kernel released it. */
    private void lockAfterHolderDied(LockFileGuard guard, long millis) throws IOException {
        tell(timedLock(guard, millis));
    }

    private static String timedLock(LockFileGuard guard, long millis) throws IOException {
        guard.lockInJvm();
        try {
            long start = System.nanoTime();
            boolean locked = guard.lockFile(TimeUnit.MILLISECONDS.toNanos(millis));
            return (locked ? "locked " : "busy ") + (System.nanoTime() - start);
        } finally {
            guard.unlockAll();
        }
    }

    // Appends.

    /**
     * Appends {@code records} records from each of {@code threads} threads, each with one {@code write} call on an
     * {@code O_APPEND} channel (as the handler appends), of random sizes up to {@link #LARGEST_RECORD} bytes.
     */
    private void append(Path file, int threads, int records, long seed) throws IOException {
        readyThenGo();
        AtomicLong bytes = new AtomicLong();
        AtomicLong shortWrites = new AtomicLong();
        List<String> failures = new ArrayList<>();
        try (FileChannel channel = openForAppends(file)) {
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Random random = new Random(seed + 31L * t);
                Thread appender = new Thread(() -> {
                    try {
                        for (int sequence = 0; sequence < records; sequence++) {
                            int largest = LARGEST_RECORD - 1 - RecordFormat.record(writer, thread, sequence, 0).length();
                            int payload = random.nextInt(4) == 0 ? random.nextInt(largest + 1) : random.nextInt(200);
                            byte[] record = (RecordFormat.record(writer, thread, sequence, payload) + "\n")
                                    .getBytes(StandardCharsets.US_ASCII);
                            if (appendRecord(channel, record) != record.length) {
                                shortWrites.incrementAndGet();
                            }
                            bytes.addAndGet(record.length);
                        }
                    } catch (IOException | RuntimeException | LinkageError e) {
                        synchronized (failures) {
                            failures.add(oneLine(e));
                        }
                    }
                }, "append-" + t);
                appender.start();
                started.add(appender);
            }
            join(started);
        }
        if (!failures.isEmpty()) {
            tell("failed " + failures.get(0));
            return;
        }
        tell("done " + (long) threads * records + " " + bytes + " " + shortWrites);
    }

    /**
     * Appends one record with one {@code write} call; what a short write left is written by the next call, as a
     * writer that loops would. Returns what the first call wrote.
     */
    private static int appendRecord(FileChannel channel, byte[] record) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(record);
        int first = channel.write(data);
        while (data.hasRemaining()) {
            channel.write(data);
        }
        return first;
    }

    // The shared memory.

    /** Makes the lock file's state describe a fresh file whose ticket counts from 0; tells its generation. */
    private void counterInit(LockFileGuard guard) throws IOException {
        guard.lockInJvm();
        try {
            if (!guard.lockFile(LOCK_TIMEOUT_NANOS)) {
                tell("failed the OS lock was not free");
                return;
            }
            LockFileState state = guard.state();
            if (state == null) {
                tell("failed the lock file cannot be memory-mapped shared (MAP_SHARED refused)");
                return;
            }
            long generation = state.replaced(LockFileState.logKey(guard.path().toString()));
            state.open(generation, 0);
            tell("init " + generation);
        } finally {
            guard.unlockAll();
        }
    }

    /**
     * Counts the ticket up by one {@code increments} times, each a reservation of one byte by compare-and-set in the
     * lock file's mapped memory ({@link LockFileState#reserve}), as an append does.
     */
    private void counter(LockFileGuard guard, long generation, int increments) throws IOException {
        LockFileState state;
        int slot;
        guard.lockInJvm();
        try {
            if (!guard.lockFile(LOCK_TIMEOUT_NANOS)) { // claims this process's slot
                tell("failed the OS lock was not free");
                return;
            }
            state = guard.state();
            slot = guard.appendSlot();
        } finally {
            guard.unlockAll();
        }
        if (state == null || slot < 0) {
            tell("failed " + (state == null ? "the lock file cannot be memory-mapped shared" : "no writer slot free"));
            return;
        }
        readyThenGo();
        for (int i = 0; i < increments; i++) {
            if (!state.reserve(slot, generation, 1, size -> true)) {
                tell("failed the shared ticket closed or changed file after " + i + " increments");
                return;
            }
            state.landed(slot);
        }
        tell("done " + increments + " " + state.end());
    }

    private void counterRead(LockFileGuard guard) {
        LockFileState state = guard.state();
        tell(state == null ? "failed no shared state" : "value " + state.end() + " " + state.generation());
    }

    // Renames.

    /** Opens {@code name} for appends and tells the identity of the file at the path. */
    private void renameOpen(String name) throws IOException {
        Path file = file(name);
        FileChannel channel = openForAppends(file);
        opened.put(name, channel);
        Object key = fileKey(file);
        openedKeys.put(name, key);
        tell("opened " + key);
    }

    /** Renames {@code name} to {@code renamed} and creates a new, empty file at the path, as a rotation does. */
    private void renameMove(String name, String renamed) throws IOException {
        Files.move(file(name), file(renamed), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(file(name));
        tell("moved " + fileKey(file(name)));
    }

    /**
     * Writes {@code records} records (thread 0) to the file opened before the rename, then one record (thread 1) to the
     * file now at the path; tells whether file identity told the renamed file from the new one.
     */
    private void renameWrite(String name, String renamed, int records) throws IOException {
        FileChannel old = opened.remove(name);
        try (old) {
            for (int sequence = 0; sequence < records; sequence++) {
                appendRecord(old, (RecordFormat.record(writer, 0, sequence, 40 + sequence % 300) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        Object openedKey = openedKeys.remove(name);
        Object atPath = fileKey(file(name));
        Object atRenamed = fileKey(file(renamed));
        try (FileChannel current = openForAppends(file(name))) {
            appendRecord(current, (RecordFormat.record(writer, 1, 0, 40) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        tell("written " + !Objects.equals(openedKey, atPath) + " " + Objects.equals(openedKey, atRenamed));
    }

    // Helpers.

    private LockFileGuard guard(String name) {
        return guards.computeIfAbsent(name, n -> new LockFileGuard(file(n), FileCreator.DEFAULT));
    }

    private Path file(String name) {
        return directory.resolve(name);
    }

    /** As {@link LogFileOutput} opens the log: {@code O_APPEND}, never through a symbolic link. */
    private static FileChannel openForAppends(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private void release() {
        guards.values().forEach(LockFileGuard::close);
        guards.clear();
        for (FileChannel channel : opened.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
        opened.clear();
        tell("released");
    }

    private void readyThenGo() throws IOException {
        exchange("ready");
    }

    /** Tells {@code line} and waits for the coordinator's answer. */
    private void exchange(String line) throws IOException {
        tell(line);
        String answer = in.readLine();
        if (answer == null) {
            throw new IOException("the coordinator went away");
        }
    }

    private void tell(String line) {
        synchronized (out) {
            out.println(line);
        }
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String oneLine(Throwable e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}

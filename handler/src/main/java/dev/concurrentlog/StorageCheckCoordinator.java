package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;

/**
 * The side of the {@link StorageCheck} that judges: it accepts the {@link StorageCheckWorker} processes (started by
 * itself on this host, or joined from other hosts that mount the same directory), tells them what to do on files in a
 * directory of its own under the checked one, and turns what they report, and what it finds in the files, into one
 * {@link CheckOutcome} per check. Like Lucene's {@code LockVerifyServer}, it sees the processes that hold the OS lock
 * over the network, so a lock that does not exclude is seen even when the file system lies about it.
 */
final class StorageCheckCoordinator implements Closeable {

    /** The checks, in the order they run; the one that kills a process runs last. */
    static final List<String> CHECKS = List.of("lock-exclusion", "appends", "shared-memory", "rename", "handler",
            "lock-release-on-death");

    /** How long one answer of a process may take before its check fails. */
    private static final int ANSWER_MILLIS = (int) TimeUnit.MINUTES.toMillis(3);

    /** What each check does, sized to take seconds. */
    record Sizes(int lockRounds, int appendThreads, int appendRecords, int counterIncrements, int renameRecords,
            int handlerThreads, int handlerRecords, String handlerRotateSize) {
        static final Sizes DEFAULT = new Sizes(200, 2, 100, 100_000, 100, 2, 5_000, "256k");
    }

    private final ServerSocket server;
    private final Path directory;
    private final String work;
    private final Sizes sizes;
    private final long seed;
    private final List<Link> links = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "storage-check");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param directory the checked directory, as this host sees it
     * @param work      the name of a new directory under it for this run's files
     */
    StorageCheckCoordinator(ServerSocket server, Path directory, String work, Sizes sizes, long seed) {
        this.server = server;
        this.directory = directory;
        this.work = work;
        this.sizes = sizes;
        this.seed = seed;
    }

    /** Accepts {@code processes} workers, waiting at most {@code timeoutMillis} in all. */
    void accept(int processes, long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (links.size() < processes) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("only " + links.size() + " of " + processes + " processes joined within "
                        + timeoutMillis / 1000 + " s");
            }
            server.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(ANSWER_MILLIS);
            Link link = new Link(socket, "w" + links.size());
            String hello = link.read();
            if (hello == null || !hello.startsWith("hello ")) {
                link.close();
                continue;
            }
            link.pid = hello.substring(6);
            link.send("you " + link.name);
            links.add(link);
        }
        Files.createDirectories(directory.resolve(work));
    }

    /** Which processes joined, from where. */
    List<String> members() {
        List<String> members = new ArrayList<>();
        for (Link link : links) {
            members.add(link.name + " pid " + link.pid + " at " + link.socket.getInetAddress().getHostAddress());
        }
        return members;
    }

    /** Runs the checks named in {@code selected}, in the order of {@link #CHECKS}. */
    List<CheckOutcome> run(List<String> selected) {
        List<CheckOutcome> outcomes = new ArrayList<>();
        for (String check : CHECKS) {
            if (selected.contains(check)) {
                outcomes.add(runOne(check));
            }
        }
        return outcomes;
    }

    private CheckOutcome runOne(String check) {
        try {
            return switch (check) {
                case "lock-exclusion" -> lockExclusion();
                case "appends" -> appends();
                case "shared-memory" -> sharedMemory();
                case "rename" -> rename();
                case "handler" -> handler();
                case "lock-release-on-death" -> lockReleaseOnDeath();
                default -> throw new IllegalArgumentException(check);
            };
        } catch (IOException | RuntimeException | InterruptedException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return CheckOutcome.fail(check, Map.of(), "the check could not run: " + StorageCheckWorker.oneLine(cause));
        }
    }

    // The checks.

    private CheckOutcome lockExclusion() throws IOException, InterruptedException, ExecutionException {
        String lock = name("exclusion.lock");
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicLong overlaps = new AtomicLong();
        List<String> answers = everyone("lock " + lock + " " + sizes.lockRounds, (link, line) -> {
            if (line.equals("in")) {
                int now = holders.incrementAndGet();
                mostAtOnce.accumulateAndGet(now, Math::max);
                if (now > 1) {
                    overlaps.incrementAndGet();
                }
            } else {
                holders.decrementAndGet();
            }
        });
        String failure = firstFailure(answers);
        long rounds = 0;
        long waitedNanos = 0;
        long longestNanos = 0;
        for (String answer : answers) {
            if (answer.startsWith("done ")) {
                String[] words = answer.split(" ");
                rounds += Long.parseLong(words[1]);
                waitedNanos += Long.parseLong(words[2]);
                longestNanos = Math.max(longestNanos, Long.parseLong(words[3]));
            }
        }
        Map<String, Object> figures = CheckOutcome.figures("processes", links.size(), "acquisitions", rounds,
                "heldAtOnceMost", mostAtOnce.get(), "overlaps", overlaps.get(), "waitedMs", millis(waitedNanos),
                "longestWaitMs", millis(longestNanos));
        if (overlaps.get() > 0) {
            return CheckOutcome.fail("lock-exclusion", figures, "the OS lock does not exclude: " + mostAtOnce.get()
                    + " processes held it at once, " + overlaps.get() + " times");
        }
        if (failure != null) {
            return CheckOutcome.fail("lock-exclusion", figures, "the OS lock could not be taken: " + failure);
        }
        return CheckOutcome.pass("lock-exclusion", figures, "the OS lock let one process in at a time, " + rounds
                + " times");
    }

    private CheckOutcome appends() throws IOException, InterruptedException, ExecutionException {
        String file = name("appends.log");
        List<String> answers = everyone("append " + file + " " + sizes.appendThreads + " " + sizes.appendRecords + " "
                + seed, null);
        String failure = firstFailure(answers);
        long bytes = 0;
        long shortWrites = 0;
        LogCheck expected = new LogCheck();
        for (int i = 0; i < links.size(); i++) {
            expected.expectWriter(links.get(i).name, sizes.appendThreads, sizes.appendRecords);
            String[] words = answers.get(i).split(" ");
            if (words[0].equals("done")) {
                bytes += Long.parseLong(words[2]);
                shortWrites += Long.parseLong(words[3]);
            }
        }
        LogCheck.Result result = expected.check(List.of(directory.resolve(file)));
        Map<String, Object> figures = CheckOutcome.figures("processes", links.size(), "threadsEach",
                sizes.appendThreads, "records", (long) links.size() * sizes.appendThreads * sizes.appendRecords,
                "largestRecordBytes", StorageCheckWorker.LARGEST_RECORD, "bytesWritten", bytes, "fileBytes",
                result.bytes(), "found", result.found(), "lost", result.lost(), "duplicated", result.duplicated(),
                "torn", result.torn(), "shortWrites", shortWrites, "seed", seed);
        if (failure != null) {
            return CheckOutcome.fail("appends", figures, "appends could not be written: " + failure);
        }
        if (!result.ok() || shortWrites > 0) {
            return CheckOutcome.fail("appends", figures, "O_APPEND writes overlap, tear or go missing: "
                    + result.torn() + " torn, " + result.lost() + " lost, " + result.duplicated() + " duplicated, "
                    + shortWrites + " short writes" + firstProblem(result));
        }
        return CheckOutcome.pass("appends", figures, "every O_APPEND record of up to 64 KiB is whole, once ("
                + result.found() + " records)");
    }

    private CheckOutcome sharedMemory() throws IOException, InterruptedException, ExecutionException {
        String lock = name("counter.lock");
        String init = links.get(0).ask("counter-init " + lock);
        if (!init.startsWith("init ")) {
            return CheckOutcome.fail("shared-memory", Map.of(), "the lock file's shared memory: " + reason(init));
        }
        long generation = Long.parseLong(init.substring(5));
        List<String> answers = everyone("counter " + lock + " " + generation + " " + sizes.counterIncrements, null);
        String failure = firstFailure(answers);
        long expected = (long) links.size() * sizes.counterIncrements;
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (Link link : links) {
            String value = link.ask("counter-read " + lock);
            if (!value.startsWith("value ")) {
                failure = failure == null ? reason(value) : failure;
                continue;
            }
            long seen = Long.parseLong(value.split(" ")[1]);
            lowest = Math.min(lowest, seen);
            highest = Math.max(highest, seen);
        }
        Map<String, Object> figures = CheckOutcome.figures("processes", links.size(), "incrementsEach",
                sizes.counterIncrements, "expected", expected, "lowestSeen", lowest == Long.MAX_VALUE ? -1 : lowest,
                "highestSeen", highest == Long.MIN_VALUE ? -1 : highest);
        if (failure != null) {
            return CheckOutcome.fail("shared-memory", figures, "the lock file's shared memory: " + failure);
        }
        if (lowest != expected || highest != expected) {
            return CheckOutcome.fail("shared-memory", figures, "the lock file's shared memory is not coherent: a "
                    + "counter incremented by compare-and-set ends at " + lowest + (highest != lowest ? "-" + highest
                    : "") + ", not " + expected);
        }
        return CheckOutcome.pass("shared-memory", figures, "a counter incremented by compare-and-set in the mapped "
                + "lock file ends exact in every process (" + expected + ")");
    }

    private CheckOutcome rename() throws IOException, InterruptedException, ExecutionException {
        String file = name("rename.log");
        String renamed = name("rename.log.1");
        for (Link link : links) {
            String opened = link.ask("rename-open " + file);
            if (!opened.startsWith("opened ")) {
                return CheckOutcome.fail("rename", Map.of(), "the file could not be opened: " + reason(opened));
            }
        }
        String moved = links.get(0).ask("rename-move " + file + " " + renamed);
        if (!moved.startsWith("moved ")) {
            return CheckOutcome.fail("rename", Map.of(), "the file could not be renamed: " + reason(moved));
        }
        List<String> answers = everyone("rename-write " + file + " " + renamed + " " + sizes.renameRecords, null);
        String failure = firstFailure(answers);
        int identityBlind = 0;
        int renamedElsewhere = 0;
        LogCheck inRenamed = new LogCheck();
        LogCheck inNew = new LogCheck();
        for (int i = 0; i < links.size(); i++) {
            inRenamed.expect(links.get(i).name + " T0", sizes.renameRecords);
            inNew.expect(links.get(i).name + " T1", 1);
            String[] words = answers.get(i).split(" ");
            if (words[0].equals("written")) {
                identityBlind += Boolean.parseBoolean(words[1]) ? 0 : 1;
                renamedElsewhere += Boolean.parseBoolean(words[2]) ? 0 : 1;
            }
        }
        LogCheck.Result old = inRenamed.check(List.of(directory.resolve(renamed)));
        LogCheck.Result fresh = inNew.check(List.of(directory.resolve(file)));
        Map<String, Object> figures = CheckOutcome.figures("processes", links.size(), "recordsAfterRename",
                (long) links.size() * sizes.renameRecords, "foundInRenamed", old.found(), "lostFromRenamed", old.lost(),
                "foundInNew", fresh.found(), "identitySameAsNew", identityBlind, "identityNotRenamed",
                renamedElsewhere);
        if (failure != null) {
            return CheckOutcome.fail("rename", figures, "writing after the rename failed: " + failure);
        }
        if (!old.ok()) {
            return CheckOutcome.fail("rename", figures, "a renamed file loses the writes of processes that hold it "
                    + "open: " + old.lost() + " of " + (long) links.size() * sizes.renameRecords + " records missing"
                    + firstProblem(old));
        }
        if (identityBlind > 0 || renamedElsewhere > 0) {
            return CheckOutcome.fail("rename", figures, "file identity does not tell the renamed file from the new one "
                    + "in " + Math.max(identityBlind, renamedElsewhere) + " processes");
        }
        if (!fresh.ok()) {
            return CheckOutcome.fail("rename", figures, "the new file at the path lacks records" + firstProblem(fresh));
        }
        return CheckOutcome.pass("rename", figures, "writes to a renamed file held open stay in it, and file identity "
                + "tells it from the new file");
    }

    private CheckOutcome handler() throws IOException, InterruptedException, ExecutionException {
        Path log = directory.resolve(name("handler.log"));
        List<String> answers = everyone("handler " + name("handler.log") + " " + sizes.handlerThreads + " "
                + sizes.handlerRecords + " " + sizes.handlerRotateSize, null);
        String failure = firstFailure(answers);
        long reports = 0;
        String firstReport = null;
        LogCheck expected = new LogCheck();
        for (int i = 0; i < links.size(); i++) {
            expected.expectWriter(links.get(i).name, sizes.handlerThreads, sizes.handlerRecords);
            String[] words = answers.get(i).split(" ", 4);
            if (words[0].equals("done")) {
                reports += Long.parseLong(words[2]);
                if (firstReport == null && Long.parseLong(words[2]) > 0) {
                    firstReport = words[3];
                }
            }
        }
        List<Path> files = LogFiles.oldestFirst(log);
        LogCheck.Result result = expected.check(files);
        Map<String, Object> figures = CheckOutcome.figures("processes", links.size(), "threadsEach",
                sizes.handlerThreads, "records", (long) links.size() * sizes.handlerThreads * sizes.handlerRecords,
                "rotateSize", sizes.handlerRotateSize, "backups", files.size() - 1, "found", result.found(), "lost",
                result.lost(), "duplicated", result.duplicated(), "torn", result.torn(), "errorReports", reports);
        if (failure != null) {
            return CheckOutcome.fail("handler", figures, "the handler could not run: " + failure);
        }
        if (!result.ok()) {
            return CheckOutcome.fail("handler", figures, "the handler's log fails the verifier: " + result.lost()
                    + " lost, " + result.duplicated() + " duplicated, " + result.torn() + " torn" + firstProblem(result));
        }
        if (reports > 0) {
            return CheckOutcome.fail("handler", figures, "the handler reported " + reports + " errors; the first: "
                    + firstReport);
        }
        if (files.size() < 2) {
            return CheckOutcome.fail("handler", figures, "the handler never rotated by size");
        }
        return CheckOutcome.pass("handler", figures, "the real handler rotating by size " + (files.size() - 1)
                + " times across " + links.size() + " processes passes the verifier");
    }

    private CheckOutcome lockReleaseOnDeath() throws IOException {
        if (links.size() < 2) {
            return CheckOutcome.fail("lock-release-on-death", Map.of(), "needs at least 2 processes");
        }
        String lock = name("death.lock");
        Link holder = links.get(0);
        Link waiter = links.get(links.size() - 1);
        String held = holder.ask("hold " + lock);
        if (!held.equals("held")) {
            return CheckOutcome.fail("lock-release-on-death", Map.of(), "the holder could not take the OS lock: "
                    + reason(held));
        }
        String tried = waiter.ask("try " + lock + " 300");
        if (!tried.startsWith("busy ")) {
            return CheckOutcome.fail("lock-release-on-death", CheckOutcome.figures("holder", holder.name, "waiter",
                    waiter.name), "the OS lock does not exclude: " + waiter.name + " took it while " + holder.name
                    + " held it (" + reason(tried) + ")");
        }
        holder.send("die");
        long diedAt = System.nanoTime();
        while (holder.read() != null) {
            // until its connection closes: the process is gone
        }
        links.remove(holder);
        holder.close();
        String after = waiter.ask("after-death " + lock + " 10000");
        long sinceDeath = System.nanoTime() - diedAt;
        Map<String, Object> figures = CheckOutcome.figures("holder", holder.name, "waiter", waiter.name,
                "triedWhileHeldMs", millis(Long.parseLong(tried.split(" ")[1])), "releasedWithinMs",
                millis(sinceDeath));
        if (!after.startsWith("locked ")) {
            return CheckOutcome.fail("lock-release-on-death", figures, "the OS lock of a process that died is not "
                    + "released: " + waiter.name + " still could not take it after 10 s (" + reason(after) + ")");
        }
        return CheckOutcome.pass("lock-release-on-death", figures, "the OS lock of a process that died was taken by "
                + "another within " + millis(sinceDeath) + " ms");
    }

    // Talking to every process at once.

    /** What a check does with the lines a process sends while a command runs ({@code in}, {@code out}). */
    @FunctionalInterface
    private interface Chatter {
        void heard(Link link, String line);
    }

    /**
     * Sends {@code command} to every process; answers each {@code ready} once all are ready ({@code go}), passes other
     * lines but the last to {@code chatter} and answers them {@code ok}; returns each process's last line.
     */
    private List<String> everyone(String command, Chatter chatter) throws InterruptedException, ExecutionException {
        CountDownLatch ready = new CountDownLatch(links.size());
        List<Future<String>> answers = new ArrayList<>();
        for (Link link : links) {
            answers.add(pool.submit(() -> {
                link.send(command);
                while (true) {
                    String line = link.read();
                    if (line == null) {
                        return "failed " + link.name + " went away";
                    }
                    if (line.equals("ready")) {
                        ready.countDown();
                        if (!ready.await(ANSWER_MILLIS, TimeUnit.MILLISECONDS)) {
                            return "failed not every process was ready";
                        }
                        link.send("go");
                    } else if (chatter != null && (line.equals("in") || line.equals("out"))) {
                        chatter.heard(link, line);
                        link.send("ok");
                    } else {
                        if (line.startsWith("failed")) {
                            ready.countDown(); // the others need not wait for it
                        }
                        return line;
                    }
                }
            }));
        }
        List<String> lines = new ArrayList<>();
        for (Future<String> answer : answers) {
            lines.add(answer.get());
        }
        return lines;
    }

    /** Tells every process still connected to exit with {@code status}. */
    void finish(int status) {
        for (Link link : links) {
            link.send("exit " + status);
        }
    }

    @Override
    public void close() {
        for (Link link : links) {
            link.close();
        }
        pool.shutdownNow();
    }

    private String name(String file) {
        return work + "/" + file;
    }

    private static String firstFailure(List<String> answers) {
        for (String answer : answers) {
            if (answer.startsWith("failed")) {
                return reason(answer);
            }
        }
        return null;
    }

    private static String reason(String answer) {
        return answer.startsWith("failed ") ? answer.substring(7) : answer;
    }

    private static String firstProblem(LogCheck.Result result) {
        return result.problems().isEmpty() ? "" : " (first: " + result.problems().get(0) + ")";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** One process's connection. */
    private static final class Link implements Closeable {
        final Socket socket;
        final String name;
        final BufferedReader in;
        final PrintWriter out;
        String pid = "?";

        Link(Socket socket, String name) throws IOException {
            this.socket = socket;
            this.name = name;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        void send(String line) {
            out.println(line);
        }

        /** The next line, or null once the process closed the connection. */
        String read() throws IOException {
            try {
                return in.readLine();
            } catch (SocketTimeoutException e) {
                throw new IOException(name + " did not answer within " + ANSWER_MILLIS / 1000 + " s", e);
            } catch (IOException e) {
                return null; // reset by a process that died
            }
        }

        String ask(String line) throws IOException {
            send(line);
            String answer = read();
            return answer == null ? "failed " + name + " went away" : answer;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}

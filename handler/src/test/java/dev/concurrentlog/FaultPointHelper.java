package dev.concurrentlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.byteman.rule.Rule;
import org.jboss.byteman.rule.helper.Helper;

/**
 * The Byteman helper of the fault suites' rules, in the writer JVMs (see {@link FaultPoint}): it decides when a rule
 * fires and what it does there. A point fires once across all processes: at the k-th time a JVM reaches it, if no
 * other process got there first (a flag file, {@code -Dfaultpoint.flag}, created atomically). The census counts, per
 * JVM, how often each site is reached and writes the counts at exit, to {@code census-<pid>.txt} in the directory
 * {@code -Dfaultpoint.census}.
 */
public class FaultPointHelper extends Helper {

    private static final AtomicInteger REACHED = new AtomicInteger();
    private static final Map<String, AtomicInteger> CENSUS = new ConcurrentHashMap<>();
    /** When the failed calls began (nanoTime), or 0 before the point fired. */
    private static final AtomicLong FAILING_SINCE = new AtomicLong();

    static {
        String census = System.getProperty("faultpoint.census");
        if (census != null) {
            Path file = Path.of(census, "census-" + ProcessHandle.current().pid() + ".txt");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> writeCensus(file)));
        }
    }

    protected FaultPointHelper(Rule rule) {
        super(rule);
    }

    /** Whether this is the {@code k}-th time this JVM reaches the point, and no process fired it before. */
    public boolean reached(int k) {
        return REACHED.incrementAndGet() == k && firstOfAll();
    }

    /** Halts the JVM at once, as SIGKILL does: no shutdown hook, the kernel drops its locks. */
    public void crash() {
        killJVM();
    }

    /** Holds this thread here for {@code millis}. */
    public void stall(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a call at the point fails now: from the time it is first reached (in the process that got there first),
     * for {@code millis}; then the fault is gone and the calls succeed again.
     */
    public boolean failing(long millis) {
        long since = FAILING_SINCE.get();
        if (since == 0) {
            if (!firstOfAll()) {
                return false;
            }
            FAILING_SINCE.compareAndSet(0, System.nanoTime());
            return true;
        }
        return System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Counts one more time the point {@code name} is reached (the census). */
    public boolean count(String name) {
        CENSUS.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        return false;
    }

    private static boolean firstOfAll() {
        try {
            Files.createFile(flag());
            Files.writeString(flag(), Long.toString(ProcessHandle.current().pid()));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path flag() {
        return Path.of(System.getProperty("faultpoint.flag"));
    }

    private static void writeCensus(Path file) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(CENSUS).forEach((name, count) -> text.append(name).append(' ').append(count).append('\n'));
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}

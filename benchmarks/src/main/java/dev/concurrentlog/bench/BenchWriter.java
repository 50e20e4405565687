package dev.concurrentlog.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.sun.management.OperatingSystemMXBean;

import dev.concurrentlog.testkit.ParentLink;
import dev.concurrentlog.testkit.RecordFormat;

/**
 * One writer process: {@code BenchWriter WRITER FILE ID THREADS RECORDS ENTRY} (ENTRY: how records reach a handler,
 * see {@link Entry}). First it warms up: the same writer, from the same threads, writes into {@code warmup.log} beside
 * FILE until the process has used {@link #WARM_UP_CPU_NANOS} of processor time (every process of the run at once, so
 * the JIT has compiled the contended paths before anything is timed). Processor time, not wall time: 16 processes on 2
 * cores get an eighth of the time each, and 2 s of wall time left them compiling while they were timed. Then it opens
 * the sink on FILE, prints {@code ready}, waits for {@code go} on standard input (so all processes start together),
 * writes RECORDS records from each of THREADS threads, closes the sink and prints {@code done}.
 */
public final class BenchWriter {

    /** The payload of a record: with writer, thread, sequence and CRC, a record is about 160 bytes. */
    static final int PAYLOAD = 140;

    /** How much processor time each process spends writing before it is timed; the same for every writer. */
    static final long WARM_UP_CPU_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final int CHECK_EVERY = 256;

    public static void main(String[] args) throws Exception {
        Writer writer = Writer.valueOf(args[0]);
        Path file = Path.of(args[1]);
        String id = args[2];
        int threads = Integer.parseInt(args[3]);
        int records = Integer.parseInt(args[4]);
        Entry entry = Entry.valueOf(args[5]);
        Sink warmUp = writer.open(file.resolveSibling("warmup.log"), entry);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warmUpEnd = os.getProcessCpuTime() + WARM_UP_CPU_NANOS;
        List<Throwable> failures = write(warmUp, "warm-" + id, threads, Integer.MAX_VALUE,
                () -> os.getProcessCpuTime() - warmUpEnd >= 0);
        warmUp.close();
        Sink sink = writer.open(file, entry);
        ParentLink.ready();
        ParentLink.await();
        failures.addAll(write(sink, id, threads, records, null));
        sink.close();
        failures.forEach(Throwable::printStackTrace);
        ParentLink.tell("done");
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /**
     * Writes {@code records} records from each of {@code threads} threads, or fewer if {@code enough} (looked at
     * every {@link #CHECK_EVERY} records; null: never) says so first; returns what the threads threw.
     */
    private static List<Throwable> write(Sink sink, String id, int threads, int records, BooleanSupplier enough)
            throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int sequence = 0; sequence < records; sequence++) {
                        if (enough != null && sequence % CHECK_EVERY == 0 && enough.getAsBoolean()) {
                            return;
                        }
                        sink.write(RecordFormat.record(id, thread, sequence, PAYLOAD));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            worker.start();
            started.add(worker);
        }
        for (Thread worker : started) {
            worker.join();
        }
        return failures;
    }
}

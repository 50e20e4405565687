import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 13, 4 x 4 with autoFlush=true: can the threads of one JVM share a write call, or wait for one another more
 * cheaply than in the kernel? T threads append records of about 180 bytes to FILE (O_APPEND), one record per publish,
 * and a publish returns once its record is written. No Logger, no rotation, no cross-process coordination: it measures
 * only how threads of one JVM meet at the file. Modes:
 * <ul>
 * <li>{@code plain}: each thread writes its record through the JVM's one channel, as this handler's lock-free append;</li>
 * <li>{@code monitor}: the same write inside a {@code synchronized} block, as the built-in handler writes;</li>
 * <li>{@code own}: each thread writes through a channel of its own (no shared file position lock in the kernel);</li>
 * <li>{@code combine}: group commit: a publisher queues its record; whoever finds no write of its JVM in flight writes
 * every queued record with one call and wakes their publishers; the others park until theirs is written.</li>
 * </ul>
 * Run P processes at once, each printing its records/s and, for {@code combine}, the records per write call:
 * <pre>
 *   rm -f /tmp/c.log; for i in 1 2 3 4; do java InJvmCombine.java combine /tmp/c.log 4 250000 &amp; done; wait
 * </pre>
 * and count the file's lines over the wall time for the total.
 */
public final class InJvmCombine {

    private static final class Pending {
        final Thread publisher = Thread.currentThread();
        final byte[] bytes;
        volatile boolean written;

        Pending(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private static final int MAX_BATCH = 64;
    private static final ConcurrentLinkedQueue<Pending> QUEUE = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean WRITING = new AtomicBoolean();
    private static final ByteBuffer BATCH = ByteBuffer.allocateDirect(MAX_BATCH * 256);
    private static final AtomicLong WRITES = new AtomicLong();
    private static final AtomicLong COMBINED = new AtomicLong();
    private static final Object MONITOR = new Object();
    private static Path file;
    private static FileChannel shared;
    private static final ThreadLocal<FileChannel> OWN = ThreadLocal.withInitial(InJvmCombine::open);

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        file = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        long records = Long.parseLong(args[3]);
        shared = open();
        String pid = Long.toString(ProcessHandle.current().pid());
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            String name = pid + "-" + t;
            writers[t] = new Thread(() -> {
                StringBuilder text = new StringBuilder(200);
                for (long i = 0; i < records; i++) {
                    text.setLength(0);
                    text.append("2026-11-27 12:00:00,000 INFO  [dev.concurrentlog.probe] (writer-").append(name)
                            .append(") record ").append(i)
                            .append(" lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n");
                    publish(mode, text.toString().getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        long start = System.nanoTime();
        for (Thread writer : writers) {
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s %d threads: %,.0f records/s%s%n", mode, threads, threads * records / seconds,
                WRITES.get() == 0 ? "" : String.format(", %.2f records per write", (double) COMBINED.get() / WRITES.get()));
    }

    private static void publish(String mode, byte[] bytes) {
        switch (mode) {
            case "plain" -> write(shared, ByteBuffer.wrap(bytes));
            case "monitor" -> {
                synchronized (MONITOR) {
                    write(shared, ByteBuffer.wrap(bytes));
                }
            }
            case "own" -> write(OWN.get(), ByteBuffer.wrap(bytes));
            case "combine" -> combine(bytes);
            default -> throw new IllegalArgumentException("mode: plain, monitor, own or combine: " + mode);
        }
    }

    private static void combine(byte[] bytes) {
        Pending mine = new Pending(bytes);
        QUEUE.add(mine);
        while (!mine.written) {
            if (!WRITING.compareAndSet(false, true)) {
                LockSupport.park(); // woken once written, or to write for the others
                continue;
            }
            Pending[] batch = new Pending[MAX_BATCH];
            int n = 0;
            try {
                BATCH.clear();
                for (Pending next; n < MAX_BATCH && (next = QUEUE.poll()) != null; n++) {
                    batch[n] = next;
                    BATCH.put(next.bytes);
                }
                write(shared, BATCH.flip());
                WRITES.incrementAndGet();
                COMBINED.addAndGet(n);
            } finally {
                WRITING.set(false);
            }
            for (int i = 0; i < n; i++) {
                batch[i].written = true;
                LockSupport.unpark(batch[i].publisher);
            }
            Pending next = QUEUE.peek(); // queued while this thread wrote: its publisher writes next
            if (next != null) {
                LockSupport.unpark(next.publisher);
            }
        }
    }

    private static void write(FileChannel channel, ByteBuffer data) {
        try {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FileChannel open() {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

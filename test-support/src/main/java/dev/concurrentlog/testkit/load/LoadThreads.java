package dev.concurrentlog.testkit.load;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

import dev.concurrentlog.testkit.RecordFormat;

/**
 * The load the servlets log, apart from any servlet API: N records from each of T threads to the category
 * {@value #CATEGORY}, waited for. {@link LoadServlet} serves it on Jakarta EE (WildFly 27 and later),
 * {@link JavaxLoadServlet} on Java EE 8 (WildFly 26).
 */
public final class LoadThreads {

    public static final String CATEGORY = "dev.concurrentlog.load";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private LoadThreads() {
    }

    /**
     * Logs what the request's parameters {@code writer}, {@code threads}, {@code records} and {@code payload}
     * (optional, default 60) ask for, and waits for it.
     *
     * @return the answer's body: the number of records logged
     * @throws InterruptedIOException if interrupted while the threads log (the server answers with an error)
     */
    static String answer(Function<String, String> parameters) throws InterruptedIOException {
        try {
            return Long.toString(log(parameters));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the load's threads log");
        }
    }

    private static long log(Function<String, String> parameters) throws InterruptedException {
        String writer = parameters.apply("writer");
        int threads = Integer.parseInt(parameters.apply("threads"));
        int records = Integer.parseInt(parameters.apply("records"));
        String payloadParameter = parameters.apply("payload");
        int payload = payloadParameter == null ? 60 : Integer.parseInt(payloadParameter);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int sequence = 0; sequence < records; sequence++) {
                    LOG.info(RecordFormat.record(writer, thread, sequence, payload));
                }
            }, "load-" + writer + "-" + t);
            worker.start();
            started.add(worker);
        }
        for (Thread worker : started) {
            worker.join();
        }
        return (long) threads * records;
    }
}

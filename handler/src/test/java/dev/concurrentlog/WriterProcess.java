package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A writer JVM for the multi-process tests. It is configured only through a jboss-logmanager
 * {@code logging.properties} (the parent passes {@code -Dlogging.configuration}), so it also proves that route. It
 * logs to the loggers {@code writer.h0}, {@code writer.h1}, ... (one handler instance each, all on the same file).
 * <p>
 * Arguments: writer id, threads, records per thread, number of loggers. It prints {@code ready}, waits for a line on
 * standard input so that all writers start together, writes, and exits 0 (or 3 if its error manager saw a report).
 */
public final class WriterProcess {

    public static void main(String[] args) throws Exception {
        String writer = args[0];
        int threads = Integer.parseInt(args[1]);
        int records = Integer.parseInt(args[2]);
        int loggerCount = Integer.parseInt(args[3]);
        Logger[] loggers = new Logger[loggerCount];
        for (int i = 0; i < loggerCount; i++) {
            loggers[i] = Logger.getLogger("writer.h" + i);
        }
        String expectedVersion = System.getProperty("expected.logmanager.version");
        String jar = org.jboss.logmanager.ExtHandler.class.getProtectionDomain().getCodeSource().getLocation().toString();
        if (expectedVersion != null && !jar.contains(expectedVersion)) {
            System.err.println("jboss-logmanager " + expectedVersion + " expected, loaded from " + jar);
            System.exit(4);
        }
        if (!(java.util.logging.LogManager.getLogManager() instanceof org.jboss.logmanager.LogManager)) {
            System.err.println("not running on jboss-logmanager: " + java.util.logging.LogManager.getLogManager());
            System.exit(5);
        }
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Logger logger = loggers[thread % loggerCount];
                for (int sequence = 0; sequence < records; sequence++) {
                    logger.info(LogVerifier.record(writer, thread, sequence, 60));
                }
            }, "writer-" + t);
            worker.start();
            started.add(worker);
        }
        for (Thread worker : started) {
            worker.join();
        }
        System.out.println("done");
        System.exit(CountingErrorManager.count() == 0 ? 0 : 3);
    }
}

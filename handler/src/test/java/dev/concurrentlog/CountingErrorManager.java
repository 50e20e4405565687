package dev.concurrentlog;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.ErrorManager;

/** The error manager of writer JVMs: prints every report to standard error and counts it, so the parent can fail. */
public final class CountingErrorManager extends ErrorManager {

    private static final AtomicInteger REPORTS = new AtomicInteger();

    @Override
    public void error(String message, Exception exception, int code) {
        REPORTS.incrementAndGet();
        System.err.println("ERROR REPORT code " + code + ": " + message);
        if (exception != null) {
            exception.printStackTrace();
        }
    }

    static int count() {
        return REPORTS.get();
    }
}

package dev.concurrentlog;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ErrorManager;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Collects what a handler reports. Tests install it and call {@link #assertNoUnexpected()} at the end: any report they
 * did not {@linkplain #takeAll(int) take} fails the test.
 */
final class RecordingErrorManager extends ErrorManager {

    record Report(String message, Exception exception, int code) {
        @Override
        public String toString() {
            return "code " + code + ": " + message + (exception == null ? "" : " (" + exception + ")");
        }
    }

    private final List<Report> reports = new ArrayList<>();

    @Override
    public synchronized void error(String message, Exception exception, int code) {
        reports.add(new Report(message, exception, code));
    }

    /** Removes and returns every report with {@code code}. */
    synchronized List<Report> takeAll(int code) {
        List<Report> taken = new ArrayList<>();
        reports.removeIf(report -> report.code() == code && taken.add(report));
        return taken;
    }

    synchronized void assertNoUnexpected() {
        if (!reports.isEmpty()) {
            fail("Unexpected error reports: " + reports);
        }
    }
}

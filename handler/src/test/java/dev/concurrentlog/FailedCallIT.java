package dev.concurrentlog;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failed-call suite: one call of the protocol fails in a writer JVM, as the file system fails it with ENOSPC, EIO
 * or EACCES, every time for a second from the first, then succeeds again, while three others write on (see
 * {@link FaultRun} for what is checked after each run: that includes a time rotation and pruning after the fault,
 * so logging recovered by itself). The failure is reported, and nothing is lost. A failed write, and a failed
 * creation or opening of the log, are not among the points: a record that cannot reach the file is reported and not
 * kept (DiskFullIT).
 */
class FailedCallIT {

    private static final List<String> ERRNOS = List.of("ENOSPC", "EIO", "EACCES");
    /** The sites whose failure keeps records from the file: they are reported, not kept. */
    private static final List<String> RECORDS_NOT_KEPT = List.of("log-create", "log-open");

    @TempDir
    Path dir;

    @Test
    void callThatFailsForASecondIsReportedAndLosesNothing() throws Exception {
        List<FaultPoint> points = FaultPlan.points(site -> !site.step().equals("writing")
                && !RECORDS_NOT_KEPT.contains(site.name()) && FaultPlan.mayFailWithIOException(site), false).stream()
                .filter(point -> point.k() == 1).toList();
        AtomicInteger next = new AtomicInteger();
        FaultPlan.runAll("FailedCallIT", FaultPlan.choose("FailedCallIT", points, 3), dir, (point, pointDir) -> {
            String errno = ERRNOS.get(next.getAndIncrement() % ERRNOS.size());
            FaultRun.Outcome outcome = new FaultRun(pointDir, FaultPoint.Fault.FAIL, 3_600_000)
                    .run(point.rule(FaultPoint.Fault.FAIL, 1_000, errno));
            if (outcome.fired()) {
                int reports = outcome.reports().getOrDefault(outcome.faulted(), 0);
                System.out.printf("failed call %s (%s) in %s: %d report(s), nothing lost; reports %s%n", point,
                        errno, outcome.faulted(), reports, outcome.reports());
                assertTrue(reports > 0, point + " (" + errno + ") failed in " + outcome.faulted()
                        + " without a report");
            }
            return outcome;
        });
    }
}

package dev.concurrentlog;

import java.nio.file.Path;
import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stall-point suite: a writer JVM's thread held (as by a long GC pause) right before or right after one call of
 * the protocol for twice {@code lockTimeout}, then let go, while three others write on (see {@link FaultRun} for what
 * is checked after each run). Nothing may be lost, and no other writer's thread may wait {@code lockTimeout} more
 * than once: the longest publish of the others is printed for each point.
 */
class StallPointIT {

    private static final long LOCK_TIMEOUT_MILLIS = 1_000;

    @TempDir
    Path dir;

    @Test
    void writerStalledAtAnyCallOfTheProtocolHoldsNoOneUpTwice() throws Exception {
        FaultPlan.runAll("StallPointIT", FaultPlan.choose("StallPointIT", FaultPlan.points(site -> true, true), 3),
                dir, StallPointIT::run);
    }

    private static FaultRun.Outcome run(FaultPoint point, Path dir) throws Exception {
        FaultRun.Outcome outcome = new FaultRun(dir, FaultPoint.Fault.STALL, LOCK_TIMEOUT_MILLIS)
                .run(point.rule(FaultPoint.Fault.STALL, 2 * LOCK_TIMEOUT_MILLIS, null));
        if (outcome.fired()) {
            long longest = Collections.max(outcome.longestPublishMillis().values());
            long slowest = Collections.max(outcome.slowPublishes().values());
            System.out.printf("stall point %s: %s stalled %d ms; the others' longest publish %d ms, at most %d "
                    + "publish(es) of a thread took lockTimeout (%d ms) or longer; reports %s%n", point,
                    outcome.faulted(), 2 * LOCK_TIMEOUT_MILLIS, longest, slowest, LOCK_TIMEOUT_MILLIS,
                    outcome.reports());
            assertTrue(slowest <= 1, point + ": a thread of another writer waited lockTimeout more than once: "
                    + outcome.slowPublishes());
        }
        return outcome;
    }
}

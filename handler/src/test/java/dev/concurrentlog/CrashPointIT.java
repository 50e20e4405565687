package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-point suite: a writer JVM halted (as by SIGKILL) right before or right after one call of a rotation, a
 * shift, compression, repair or opening, while three others write on through it and across it (see {@link FaultRun}
 * for what is checked after each kill, and {@link FaultPlan} for which points run).
 */
class CrashPointIT {

    @TempDir
    Path dir;

    // A time rotation killed right after its rename: the others must neither write into the backup through the
    // channel they had open nor rotate the new file for the old minute (which deleted the backup).
    @Test
    void timeRotationKilledRightAfterItsRenameLosesNothing() throws Exception {
        killAt(new FaultPoint(FaultPoint.site("time-rename"), true, 1), dir);
    }

    // Killed after the generation moved on, before the rename: the file stays, with every record, for the others.
    @Test
    void timeRotationKilledRightBeforeItsRenameLosesNothing() throws Exception {
        killAt(new FaultPoint(FaultPoint.site("time-rename"), false, 1), dir);
    }

    @Test
    void writerKilledAtAnyCallOfTheProtocolLosesNothing() throws Exception {
        FaultPlan.runAll("CrashPointIT", FaultPlan.choose("CrashPointIT", FaultPlan.points(site -> true, true), 6),
                dir, CrashPointIT::run);
    }

    private static FaultRun.Outcome run(FaultPoint point, Path dir) throws Exception {
        FaultRun.Outcome outcome = new FaultRun(dir, FaultPoint.Fault.KILL, 3_600_000)
                .run(point.rule(FaultPoint.Fault.KILL, 0, null));
        if (outcome.fired()) {
            assertNotNull(outcome.faulted(), point + " fired, but no writer died");
            System.out.printf("crash point %s: %s killed, nothing lost%n", point, outcome.faulted());
        }
        return outcome;
    }

    private static void killAt(FaultPoint point, Path dir) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(point.toString().replaceAll("[ #]+", "-")));
        assertTrue(run(point, runDir).fired(), point + " was not reached");
    }
}

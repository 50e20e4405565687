package dev.concurrentlog;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-point suite: a writer JVM halted (as by SIGKILL) right before or right after one call of a rotation,
 * while three others write on through it and across it (see {@link FaultRun} for what is checked after each kill).
 */
class CrashPointIT {

    @TempDir
    Path dir;

    // A time rotation killed right after its rename: the others must neither write into the backup through the
    // channel they had open nor rotate the new file for the old minute (which deleted the backup).
    @Test
    void timeRotationKilledRightAfterItsRenameLosesNothing() throws Exception {
        killAt(new FaultPoint(FaultPoint.site("time-rename"), true, 1));
    }

    // Killed after the generation and the period moved on, before the rename: the file stays, with every record.
    @Test
    void timeRotationKilledRightBeforeItsRenameLosesNothing() throws Exception {
        killAt(new FaultPoint(FaultPoint.site("time-rename"), false, 1));
    }

    private void killAt(FaultPoint point) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(point.toString().replace(' ', '-').replace("#", "")));
        FaultRun.Outcome outcome = new FaultRun(runDir, FaultPoint.Fault.KILL, 3_600_000)
                .run(point.rule(FaultPoint.Fault.KILL, 0, null));
        assertTrue(outcome.fired(), point + " was not reached");
        assertNotNull(outcome.victim(), point + " fired, but no writer died");
        System.out.printf("crash point %s: %s killed, nothing lost%n", point, outcome.victim());
    }
}

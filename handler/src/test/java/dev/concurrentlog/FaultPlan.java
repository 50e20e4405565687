package dev.concurrentlog;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which points a fault suite runs, and running them. A census run (no fault, a counting rule at every site) finds the
 * sites one run of {@link FaultRun} reaches and how often each writer JVM calls them, and so how often per rotation
 * cycle (the census's size rotations). A step of the rotation cycle (at most {@value #CYCLE_CALLS} calls per cycle: a
 * rename, the shift's renames, a compression's steps, a lock on the backups) gives every one of its calls in the
 * first cycle and in a cycle half way, the k-th call for every k, as SQLite's crash tests count them; a step made for
 * every batch (a write, the OS lock) gives its first {@value #FIRST_CALLS} calls and the one half way: its calls
 * between two rotations are alike, and the batches next to a rotation are the rotation's own steps. Each point is
 * right before and right after the call. The normal build runs a seeded sample ({@code -Dfaultpoints.sample}, the seed printed and replayed
 * with {@code -Dfaultpoints.seed}); {@code -Dfaultpoints.all=true} (the {@code fault-points} profile) runs them all;
 * {@code -Dfaultpoints.only} runs the points it names, as printed.
 */
final class FaultPlan {

    static final int FIRST_CALLS = 2;
    static final int CYCLE_CALLS = 16;

    private static Map<String, Integer> census;

    private FaultPlan() {
    }

    /** The census of one run, made once per test JVM. */
    static synchronized Map<String, Integer> census() throws Exception {
        if (census == null) {
            FaultRun run = new FaultRun(Files.createTempDirectory("fault-census"), null, 3_600_000);
            run.run(FaultPoint.censusRules());
            census = run.census();
            System.out.println("Census of one run, calls per site (the most of any writer JVM): " + census
                    + "; rotation cycles (size rotations): " + census.getOrDefault("park-rename", 0));
            List<String> unreached = FaultPoint.SITES.stream().map(FaultPoint.Site::name)
                    .filter(name -> !census.containsKey(name)).toList();
            System.out.println("Sites a run without faults does not reach (after a fault only): " + unreached);
        }
        return census;
    }

    /** The points of every site that the census reached and {@code which} accepts; after the call too if asked. */
    static List<FaultPoint> points(Predicate<FaultPoint.Site> which, boolean after) throws Exception {
        List<FaultPoint> points = new ArrayList<>();
        int cycles = Math.max(1, census().getOrDefault("park-rename", 0));
        for (FaultPoint.Site site : FaultPoint.SITES) {
            int calls = census().getOrDefault(site.name(), 0);
            if (calls == 0 || !which.test(site)) {
                continue;
            }
            int perCycle = (calls + cycles - 1) / cycles;
            java.util.SortedSet<Integer> ks = new java.util.TreeSet<>();
            if (perCycle <= CYCLE_CALLS) { // a step of the cycle: every call of the first cycle and of one half way
                for (int k = 1; k <= perCycle; k++) {
                    ks.add(k);
                    ks.add(Math.min(calls, calls / 2 + k));
                }
            } else { // a step of every batch
                for (int k = 1; k <= FIRST_CALLS; k++) {
                    ks.add(k);
                }
                ks.add(calls / 2);
            }
            for (int k : ks) {
                points.add(new FaultPoint(site, false, k));
                if (after) {
                    points.add(new FaultPoint(site, true, k));
                }
            }
        }
        return points;
    }

    /** All of {@code points} with {@code -Dfaultpoints.all=true}, else a seeded sample of {@code sample} of them. */
    static List<FaultPoint> choose(String suite, List<FaultPoint> points, int sample) {
        String only = System.getProperty("faultpoints.only", "");
        if (!only.isEmpty()) { // replays points by name, as printed: -Dfaultpoints.only="before write-reserved #1"
            List<String> names = List.of(only.split(","));
            List<FaultPoint> chosen = points.stream().filter(point -> names.contains(point.toString())).toList();
            System.out.printf("%s: the points named: %s%n", suite, chosen);
            return chosen;
        }
        if (Boolean.getBoolean("faultpoints.all")) {
            System.out.printf("%s: all %d points%n", suite, points.size());
            return points;
        }
        long seed = Long.getLong("faultpoints.seed", System.nanoTime());
        List<FaultPoint> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled, new Random(seed));
        List<FaultPoint> chosen = shuffled.subList(0, Math.min(Integer.getInteger("faultpoints.sample", sample),
                shuffled.size()));
        System.out.printf("%s: %d of %d points, seed %d (replay with -Dfaultpoints.seed=%d): %s%n", suite,
                chosen.size(), points.size(), seed, seed, chosen);
        return chosen;
    }

    /** What a suite does with each point, and checks of its outcome. */
    @FunctionalInterface
    interface PointRun {
        FaultRun.Outcome run(FaultPoint point, Path dir) throws Exception;
    }

    /**
     * Runs each point in a directory of its own, collecting every failure rather than stopping at the first, and
     * prints how many points were covered (reached and fired).
     */
    static void runAll(String suite, List<FaultPoint> points, Path dir, PointRun each) throws Exception {
        List<String> failures = new ArrayList<>();
        List<FaultPoint> unreached = new ArrayList<>();
        int fired = 0;
        for (FaultPoint point : points) {
            Path pointDir = Files.createDirectories(dir.resolve(point.toString().replaceAll("[ #]+", "-")));
            try {
                FaultRun.Outcome outcome = each.run(point, pointDir);
                if (outcome.fired()) {
                    fired++;
                } else {
                    unreached.add(point);
                }
            } catch (AssertionError e) {
                failures.add(point + ": " + e.getMessage());
            }
        }
        System.out.printf("%s: %d points run, %d covered (reached and fired), %d failed, not reached: %s%n", suite,
                points.size(), fired, failures.size(), unreached);
        assertEquals(List.of(), failures, suite + ": points that failed");
        assertTrue(fired > 0 || points.isEmpty(), suite + ": no point was reached");
    }

    /** Whether the method of {@code site} declares an IOException: only then can a call there fail with one. */
    static boolean mayFailWithIOException(FaultPoint.Site site) {
        try {
            Class<?> type = Class.forName(site.className());
            return Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(site.method()))
                    .map(Method::getExceptionTypes).flatMap(Arrays::stream)
                    .anyMatch(e -> e.isAssignableFrom(java.io.IOException.class));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}

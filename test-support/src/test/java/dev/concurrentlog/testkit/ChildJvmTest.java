package dev.concurrentlog.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildJvmTest {

    @TempDir
    Path dir;

    /** A child: {@code Child EXIT [WORDS...]} prints its words, says ready, waits for go, says its property, exits. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            for (int i = 1; i < args.length; i++) {
                ParentLink.tell(args[i]);
            }
            ParentLink.ready();
            String line = ParentLink.await();
            ParentLink.tell(line + " " + System.getProperty("child.word"));
            System.err.println("a word on standard error");
            System.exit(Integer.parseInt(args[0]));
        }
    }

    @Test
    void readyGoAndTheExitStatus() throws Exception {
        try (ChildJvm.Running child = ChildJvm.of(Child.class).systemProperty("child.word", "hello")
                .jvmOption("-Xmx64m").args("0").stderrTo(dir.resolve("stderr.txt")).start()) {
            child.awaitReady();
            child.go();
            child.expectLine("go hello");
            child.awaitSuccess(Duration.ofMinutes(1));
            assertEquals("a word on standard error\n", Files.readString(dir.resolve("stderr.txt")));
        }
    }

    @Test
    void aChildThatBreaksTheProtocolIsKilledAndTheFailureSaysWhatItSaid() throws Exception {
        try (ChildJvm.Running child = ChildJvm.of(Child.class).named("child-0").args("0", "status")
                .stderrTo(dir.resolve("stderr.txt")).start()) {
            AssertionError early = assertThrows(AssertionError.class, child::awaitReady);
            assertTrue(early.getMessage().startsWith("child-0 printed \"status\" where \"ready\" was expected"),
                    early.getMessage());
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed");
        }
    }

    @Test
    void aFailedExitSaysWhatTheChildSaid() throws Exception {
        try (ChildJvm.Running child = ChildJvm.of(Child.class).args("3").stderrTo(dir.resolve("stderr.txt")).start()) {
            child.awaitReady();
            child.stop();
            assertEquals(List.of(), child.awaitLine("stop null"));
            AssertionError failed = assertThrows(AssertionError.class, () -> child.awaitSuccess(Duration.ofMinutes(1)));
            assertTrue(failed.getMessage().contains("exit status 3: a word on standard error"), failed.getMessage());
        }
    }

    @Test
    void awaitLinePassesOverOtherLinesAndFailsIfTheChildEnds() throws Exception {
        try (ChildJvm.Running child = ChildJvm.of(Child.class).args("0", "a status line")
                .stderrTo(dir.resolve("stderr.txt")).start()) {
            assertEquals(List.of("a status line"), child.awaitLine(ChildJvm.READY));
            child.process().getOutputStream().close();
            assertThrows(AssertionError.class, () -> child.awaitLine("never"));
        }
    }

    @Test
    void aChildThatRunsOnIsKilledAtTheTimeout() throws Exception {
        try (ChildJvm.Running child = ChildJvm.of(Child.class).args("0").outputTo(dir.resolve("out.txt")).start()) {
            assertThrows(AssertionError.class, () -> child.awaitExit(Duration.ofMillis(200)));
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "killed");
        }
    }

    @Test
    void aLauncherStandsBeforeJava() {
        List<String> command = ChildJvm.of(Child.class).launcher("nice", "-n", "1").jvmOption("-Xmx64m").args("x")
                .command();
        assertEquals(List.of("nice", "-n", "1"), command.subList(0, 3));
        assertTrue(command.get(3).endsWith("/bin/java"), command.toString());
        assertEquals(List.of("-Xmx64m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), "x"),
                command.subList(4, command.size()));
    }
}

package dev.concurrentlog.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test or a benchmark: the {@code java} of this JVM's {@code java.home}, this JVM's class path, JVM
 * options such as {@code -D} system properties, a main class and its arguments, optionally
 * behind a launcher ({@code unshare ... exec "$@"}). Its standard error goes to a file (or, with {@link #outputTo},
 * everything it prints), so that a failure can say what the child said.
 * <p>
 * The parent and the child talk in lines ({@link ParentLink} is the child's side): the child prints {@value #READY}
 * once it is set up and waits; the parent sends {@value #GO} to start every child at once, and {@value #STOP} to a
 * child that runs until told.
 */
public final class ChildJvm {

    /** The child's line once it is set up. */
    public static final String READY = "ready";
    /** The parent's line to start. */
    public static final String GO = "go";
    /** The parent's line to stop (or to let go of what the child holds). */
    public static final String STOP = "stop";

    private final String mainClass;
    private final List<String> launcher = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();
    private String name;
    private Path stderr;
    private Path output;

    private ChildJvm(String mainClass) {
        this.mainClass = mainClass;
        this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** A JVM that runs {@code mainClass}. */
    public static ChildJvm of(Class<?> mainClass) {
        return new ChildJvm(mainClass.getName());
    }

    /** Its name in failure messages (the main class's simple name unless told). */
    public ChildJvm named(String childName) {
        this.name = childName;
        return this;
    }

    /** Words before {@code java} on the command line: a program that ends with {@code exec "$@"} or alike. */
    public ChildJvm launcher(String... words) {
        launcher.addAll(Arrays.asList(words));
        return this;
    }

    /** A JVM option, such as {@code -Xmx256m} or {@code -Dname=value}. */
    public ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** {@code -Dname=value}. */
    public ChildJvm systemProperty(String property, String value) {
        return jvmOption("-D" + property + "=" + value);
    }

    public ChildJvm args(String... words) {
        arguments.addAll(Arrays.asList(words));
        return this;
    }

    /** Its standard error goes to {@code file} (else to this JVM's). */
    public ChildJvm stderrTo(Path file) {
        this.stderr = file;
        return this;
    }

    /** All it prints, standard output and error, goes to {@code file}: no line protocol then. */
    public ChildJvm outputTo(Path file) {
        this.output = file;
        return this;
    }

    /** The command line. */
    public List<String> command() {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return command;
    }

    /** Starts it. */
    public Running start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command());
        if (output != null) {
            builder.redirectErrorStream(true).redirectOutput(output.toFile());
        } else if (stderr != null) {
            builder.redirectError(stderr.toFile());
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        return new Running(builder.start());
    }

    /**
     * A started child JVM. Closing it kills it if it still runs; so does a line it should have printed and did not:
     * a child that breaks the protocol is of no more use.
     */
    public final class Running implements AutoCloseable {

        private final Process process;
        private final BufferedReader stdout;

        private Running(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        public String name() {
            return name;
        }

        public Process process() {
            return process;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for its {@value ChildJvm#READY} line, which must be the first it prints. */
        public void awaitReady() throws IOException {
            expectLine(READY);
        }

        /** Reads its next line of standard output, which must be {@code expected}; throws an AssertionError if not. */
        public void expectLine(String expected) throws IOException {
            String line = stdout.readLine();
            if (!expected.equals(line)) {
                throw broken(name + " printed " + (line == null ? "nothing more" : "\"" + line + "\"") + " where \""
                        + expected + "\" was expected");
            }
        }

        /**
         * Reads its standard output up to the line {@code expected}, passing over others (a library's status lines);
         * throws an AssertionError if it ends first.
         *
         * @return the lines passed over
         */
        public List<String> awaitLine(String expected) throws IOException {
            List<String> before = new ArrayList<>();
            for (String line; (line = stdout.readLine()) != null; ) {
                if (line.equals(expected)) {
                    return before;
                }
                before.add(line);
            }
            throw broken(name + " ended before it printed \"" + expected + "\"; it printed " + before);
        }

        /** Kills it, and says what it said. */
        private AssertionError broken(String what) {
            kill();
            return new AssertionError(what + "; it said: " + said());
        }

        /** Sends one line to its standard input. */
        public void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Sends {@value ChildJvm#GO}. */
        public void go() throws IOException {
            send(GO);
        }

        /** Sends {@value ChildJvm#STOP}. */
        public void stop() throws IOException {
            send(STOP);
        }

        /** Waits until it ends and returns its exit status; kills it and throws an AssertionError if it runs on. */
        public int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw broken(name + " did not end within " + timeout);
            }
            return process.exitValue();
        }

        /** Waits until it ends, which must be with status 0; throws an AssertionError that says what it said if not. */
        public void awaitSuccess(Duration timeout) throws InterruptedException {
            int status = awaitExit(timeout);
            if (status != 0) {
                throw new AssertionError(name + " failed with exit status " + status + ": " + said());
            }
        }

        /** What it wrote to its standard error (or its output file), as far as it is in the file. */
        public String said() {
            Path file = output != null ? output : stderr;
            if (file == null) {
                return "(its standard error went to this JVM's)";
            }
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(nothing readable in " + file + ": " + e + ")";
            }
        }

        /** Kills it (SIGKILL). */
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public void close() {
            kill();
        }
    }
}

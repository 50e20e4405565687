package dev.concurrentlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts {@link WriterProcess} JVMs configured by a logging.properties, starts them together and waits for them. */
final class WriterJvms {

    private final Path dir;
    private final Map<String, String> handlerProperties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();

    WriterJvms(Path dir, Path log) {
        this.dir = dir;
        handlerProperties.put("fileName", log.toString());
    }

    WriterJvms property(String name, String value) {
        handlerProperties.put(name, value);
        return this;
    }

    /** Adds an option to the writer JVMs' command line, such as {@code -Dwriter.timed=true}. */
    WriterJvms jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Writes the logging.properties for {@code loggers} handler instances on the log file. */
    Path loggingProperties(int loggers) throws IOException {
        StringBuilder text = new StringBuilder("loggers=");
        for (int i = 0; i < loggers; i++) {
            text.append(i == 0 ? "" : ",").append("writer.h").append(i);
        }
        text.append('\n');
        for (int i = 0; i < loggers; i++) {
            text.append("logger.writer.h").append(i).append(".handlers=H").append(i).append('\n')
                    .append("logger.writer.h").append(i).append(".useParentHandlers=false\n")
                    .append("handler.H").append(i).append('=').append(ConcurrentRotatingFileHandler.class.getName())
                    .append('\n')
                    .append("handler.H").append(i).append(".formatter=MESSAGE\n")
                    .append("handler.H").append(i).append(".errorManager=COUNTING\n")
                    .append("handler.H").append(i).append(".properties=")
                    .append(String.join(",", handlerProperties.keySet())).append('\n');
            for (Map.Entry<String, String> property : handlerProperties.entrySet()) {
                text.append("handler.H").append(i).append('.').append(property.getKey()).append('=')
                        .append(property.getValue()).append('\n');
            }
        }
        text.append("formatter.MESSAGE=org.jboss.logmanager.formatters.PatternFormatter\n")
                .append("formatter.MESSAGE.properties=pattern\n")
                .append("formatter.MESSAGE.pattern=%s%n\n")
                .append("errorManager.COUNTING=").append(CountingErrorManager.class.getName()).append('\n');
        Path file = dir.resolve("logging-" + loggers + ".properties");
        Files.writeString(file, text);
        return file;
    }

    /**
     * Runs {@code jvms} writers of {@code threads} threads and {@code records} records each, all started at once, and
     * returns what the verifier expects: "writer thread" to record count.
     */
    Map<String, Long> run(int jvms, int threads, int records, int loggersPerJvm) throws Exception {
        Path properties = loggingProperties(loggersPerJvm);
        List<Process> processes = new ArrayList<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        try {
            for (int j = 0; j < jvms; j++) {
                String writer = "p" + j;
                processes.add(start(properties, writer, threads, records, loggersPerJvm));
                for (int t = 0; t < threads; t++) {
                    expected.put(writer + " T" + t, (long) records);
                }
            }
            for (Process process : processes) {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), "writer did not start: " + stderr(processes.indexOf(process)));
            }
            for (Process process : processes) {
                OutputStream in = process.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            for (int j = 0; j < processes.size(); j++) {
                Process process = processes.get(j);
                assertTrue(process.waitFor(5, TimeUnit.MINUTES), "writer p" + j + " did not finish in 5 minutes");
                assertEquals(0, process.exitValue(), "writer p" + j + " failed: " + stderr(j));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        return expected;
    }

    private Process start(Path properties, String writer, int threads, int records, int loggers) throws IOException {
        return start(properties, writer, threads, records, loggers, null);
    }

    /**
     * Starts one writer JVM ({@link WriterProcess}); with a progress file it reports how many of its publish calls
     * returned. Records -1 writes until {@link #send(Process, String) told} a second line.
     */
    Process start(Path properties, String writer, int threads, int records, int loggers, Path progress)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + properties.toUri(),
                "-Dexpected.logmanager.version=" + System.getProperty("expected.logmanager.version", ""),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(WriterProcess.class.getName(),
                writer, Integer.toString(threads), Integer.toString(records), Integer.toString(loggers)));
        if (progress != null) {
            command.add(progress.toString());
        }
        return new ProcessBuilder(command)
                .redirectError(dir.resolve("stderr-" + writer + ".txt").toFile())
                .start();
    }

    /** A writer JVM that writes until told to stop, and the file where its threads count their returned publishes. */
    record Running(String name, Process process, MappedByteBuffer progress, int threads) {

        long returned(int thread) {
            return progress.getLong(thread * Long.BYTES);
        }

        long returned() {
            long total = 0;
            for (int t = 0; t < threads; t++) {
                total += returned(t);
            }
            return total;
        }

        /** Adds "writer thread" to returned publish calls, for the verifier. */
        void addReturned(Map<String, Long> expected) {
            for (int t = 0; t < threads; t++) {
                expected.put(name + " T" + t, returned(t));
            }
        }
    }

    /**
     * Starts a writer JVM of {@code threads} threads that writes until {@link #send(Process, String) told} a line,
     * counting its returned publish calls in a progress file, and waits until it is ready; it starts on "go".
     */
    Running startRunning(Path properties, String writer, int threads) throws IOException {
        Path progressFile = dir.resolve(writer + ".progress");
        MappedByteBuffer progress;
        try (FileChannel channel = FileChannel.open(progressFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            progress = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) threads * Long.BYTES);
        }
        Process process = start(properties, writer, threads, -1, 1, progressFile);
        awaitReady(process, writer);
        return new Running(writer, process, progress, threads);
    }

    /** Stops a running writer with the line it waits for, and checks that it exits cleanly. */
    void stop(Running writer) throws IOException, InterruptedException {
        send(writer.process(), "stop");
        assertTrue(writer.process().waitFor(2, TimeUnit.MINUTES), writer.name() + " did not stop");
        assertEquals(0, writer.process().exitValue(), writer.name() + " failed: " + stderr(writer.name()));
    }

    /** Waits for the writer's {@code ready} line. */
    void awaitReady(Process process, String writer) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), "writer " + writer + " did not start: " + stderr(writer));
    }

    /** Sends one line to the writer's standard input. */
    static void send(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private String stderr(int jvm) {
        return stderr("p" + jvm);
    }

    String stderr(String writer) {
        try {
            return Files.readString(dir.resolve("stderr-" + writer + ".txt"));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.concurrentlog.testkit.ChildJvm;

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
        List<ChildJvm.Running> writers = new ArrayList<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        try {
            for (int j = 0; j < jvms; j++) {
                String writer = "p" + j;
                writers.add(start(properties, writer, threads, records, loggersPerJvm, null));
                for (int t = 0; t < threads; t++) {
                    expected.put(writer + " T" + t, (long) records);
                }
            }
            for (ChildJvm.Running writer : writers) {
                writer.awaitReady();
            }
            for (ChildJvm.Running writer : writers) {
                writer.go();
            }
            for (ChildJvm.Running writer : writers) {
                writer.awaitSuccess(Duration.ofMinutes(5));
            }
        } finally {
            writers.forEach(ChildJvm.Running::kill);
        }
        return expected;
    }

    /**
     * Starts one writer JVM ({@link WriterProcess}); with a progress file it reports how many of its publish calls
     * returned. Records -1 writes until told {@link ChildJvm#STOP}.
     */
    private ChildJvm.Running start(Path properties, String writer, int threads, int records, int loggers,
            Path progress) throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                writer, Integer.toString(threads), Integer.toString(records), Integer.toString(loggers)));
        if (progress != null) {
            arguments.add(progress.toString());
        }
        ChildJvm jvm = ChildJvm.of(WriterProcess.class).named("writer " + writer)
                .jvmOption("-Xmx256m")
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .systemProperty("logging.configuration", properties.toUri().toString())
                .systemProperty("expected.logmanager.version", System.getProperty("expected.logmanager.version", ""));
        jvmOptions.forEach(jvm::jvmOption);
        return jvm.args(arguments.toArray(String[]::new)).stderrTo(dir.resolve("stderr-" + writer + ".txt")).start();
    }

    /** A writer JVM that writes until told to stop, and the file where its threads count their returned publishes. */
    record Running(String name, ChildJvm.Running jvm, MappedByteBuffer progress, int threads) {

        Process process() {
            return jvm.process();
        }

        long returned(int thread) {
            return progress.getLong(thread * Long.BYTES);
        }

        /** The longest any publish call of {@code thread} took so far, in nanoseconds. */
        long longestPublishNanos(int thread) {
            return progress.getLong((threads + thread) * Long.BYTES);
        }

        /** How many publish calls of {@code thread} took {@code writer.slowMillis} or longer. */
        long slowPublishes(int thread) {
            return progress.getLong((2 * threads + thread) * Long.BYTES);
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
     * Starts a writer JVM of {@code threads} threads that writes until told {@link ChildJvm#STOP}, counting its
     * returned publish calls in a progress file, and waits until it is ready; it starts on {@link ChildJvm#GO}.
     */
    Running startRunning(Path properties, String writer, int threads) throws IOException {
        Path progressFile = dir.resolve(writer + ".progress");
        MappedByteBuffer progress;
        try (FileChannel channel = FileChannel.open(progressFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            progress = channel.map(FileChannel.MapMode.READ_WRITE, 0, 3L * threads * Long.BYTES);
        }
        ChildJvm.Running jvm = start(properties, writer, threads, -1, 1, progressFile);
        jvm.awaitReady();
        return new Running(writer, jvm, progress, threads);
    }

    /** Stops a running writer with the line it waits for, and checks that it exits cleanly. */
    void stop(Running writer) throws IOException, InterruptedException {
        writer.jvm().stop();
        writer.jvm().awaitSuccess(Duration.ofMinutes(2));
    }
}

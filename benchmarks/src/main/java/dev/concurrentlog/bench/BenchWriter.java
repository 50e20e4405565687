package dev.concurrentlog.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One writer process: {@code BenchWriter WRITER FILE ID THREADS RECORDS}. Opens the sink, prints {@code ready}, waits
 * for a line on standard input (so all processes start together), writes RECORDS records from each of THREADS
 * threads, closes the sink and prints {@code done}.
 */
public final class BenchWriter {

    public static void main(String[] args) throws Exception {
        Writer writer = Writer.valueOf(args[0]);
        Path file = Path.of(args[1]);
        String id = args[2];
        int threads = Integer.parseInt(args[3]);
        int records = Integer.parseInt(args[4]);
        Sink sink = writer.open(file);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int sequence = 0; sequence < records; sequence++) {
                        sink.write(Records.record(id, thread, sequence));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            worker.start();
            started.add(worker);
        }
        for (Thread worker : started) {
            worker.join();
        }
        sink.close();
        failures.forEach(Throwable::printStackTrace);
        System.out.println("done");
        System.exit(failures.isEmpty() ? 0 : 1);
    }
}

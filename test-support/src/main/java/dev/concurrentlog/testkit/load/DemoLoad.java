package dev.concurrentlog.testkit.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's load: {@code DemoLoad THREADS RECORDS NAME=URL...} asks every server at once to log RECORDS records from
 * each of THREADS threads (the writer is the server's NAME), and prints how long it took.
 */
public final class DemoLoad {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int records = Integer.parseInt(args[1]);
        List<LoadClient> servers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] server = args[i].split("=", 2);
            servers.add(new LoadClient(server[0], URI.create(server[1])));
        }
        long start = System.nanoTime();
        LoadClient.loadAtOnce(servers, "", threads, records);
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = (long) servers.size() * threads * records;
        System.out.printf("%d servers x %d threads x %d records = %d records logged in %.1f s (%.0f records/s)%n",
                servers.size(), threads, records, total, seconds, total / seconds);
    }
}

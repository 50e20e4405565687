package dev.concurrentlog.testkit.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.concurrentlog.testkit.LineLayout;
import dev.concurrentlog.testkit.LogCheck;

/** Asks a server's {@code LoadServlet} to log records, and checks that it logged them all. */
public final class LoadClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String server;
    private final URI base;

    /**
     * @param server names the server in failure messages, and the load's writer in {@link #loadAtOnce}
     * @param base   the application's root, e.g. {@code http://127.0.0.1:28080/load/}
     */
    public LoadClient(String server, URI base) {
        this.server = server;
        this.base = base;
    }

    public static LoadClient onPort(String server, int httpPort) {
        return new LoadClient(server, URI.create("http://127.0.0.1:" + httpPort + "/load/"));
    }

    /** A check of the load's records in a log WildFly's {@code PATTERN} formatter wrote, among the server's lines. */
    public static LogCheck logCheck() {
        return new LogCheck(LineLayout.wildFlyPattern(LoadServlet.CATEGORY));
    }

    /** Logs {@code records} records from each of {@code threads} threads as {@code writer}, waiting until done. */
    public void load(String writer, int threads, int records) throws IOException, InterruptedException {
        URI uri = base.resolve("load?writer=" + writer + "&threads=" + threads + "&records=" + records);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().trim().equals(Long.toString((long) threads * records))) {
            throw new AssertionError(server + ": " + uri + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    public String server() {
        return server;
    }

    /**
     * Has every server {@link #load} at once, each as the writer {@code <server><writerSuffix>}, and waits until all
     * are done.
     */
    public static void loadAtOnce(List<LoadClient> servers, String writerSuffix, int threads, int records)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(servers.size());
        try {
            List<Future<Object>> loads = new ArrayList<>();
            for (LoadClient client : servers) {
                loads.add(clients.submit(() -> {
                    client.load(client.server() + writerSuffix, threads, records);
                    return null;
                }));
            }
            for (Future<Object> load : loads) {
                load.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Three rounds of {@link #loadAtOnce}: one now, one just before the next minute boundary of the real clock, one
     * just after it; the writers are {@code <server>-<round>}.
     *
     * @return the writers, each of {@code threads} threads of {@code records} records
     */
    public static List<String> roundsAcrossTheNextMinute(List<LoadClient> servers, int threads, int records)
            throws Exception {
        long boundary = System.currentTimeMillis() / 60_000 * 60_000 + 60_000;
        long[] rounds = {0, boundary - 2_000, boundary + 1_000};
        List<String> writers = new ArrayList<>();
        for (int round = 0; round < rounds.length; round++) {
            awaitClock(rounds[round]);
            loadAtOnce(servers, "-" + round, threads, records);
            for (LoadClient client : servers) {
                writers.add(client.server() + "-" + round);
            }
        }
        return writers;
    }

    /** Waits until the wall clock reaches {@code millis}: time rotation happens at the real clock's boundaries. */
    private static void awaitClock(long millis) {
        for (long left; (left = millis - System.currentTimeMillis()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                    Math.min(left, 500)));
        }
    }
}

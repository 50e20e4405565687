package dev.concurrentlog.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a server's {@code LoadServlet} to log records, and checks that it logged them all. */
public final class LoadClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String server;
    private final URI base;

    /**
     * @param server names the server in failure messages
     * @param base   the application's root, e.g. {@code http://127.0.0.1:28080/load/}
     */
    public LoadClient(String server, URI base) {
        this.server = server;
        this.base = base;
    }

    public static LoadClient onPort(String server, int httpPort) {
        return new LoadClient(server, URI.create("http://127.0.0.1:" + httpPort + "/load/"));
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

    /** Waits until the wall clock reaches {@code millis}: time rotation happens at the real clock's boundaries. */
    public static void awaitClock(long millis) {
        for (long left; (left = millis - System.currentTimeMillis()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                    Math.min(left, 500)));
        }
    }
}

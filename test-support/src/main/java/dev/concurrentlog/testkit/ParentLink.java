package dev.concurrentlog.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child's side of {@link ChildJvm}'s line protocol: lines to the parent on standard output, lines from it on
 * standard input (one reader for the whole JVM, so that no line is lost in a second reader's buffer).
 */
public final class ParentLink {

    private static final BufferedReader FROM_PARENT =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private ParentLink() {
    }

    /** Prints {@code line} to the parent at once. */
    public static void tell(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Tells the parent {@value ChildJvm#READY}. */
    public static void ready() {
        tell(ChildJvm.READY);
    }

    /** Waits for the parent's next line; null if the parent closed the stream (or died). */
    public static String await() throws IOException {
        synchronized (FROM_PARENT) {
            return FROM_PARENT.readLine();
        }
    }
}

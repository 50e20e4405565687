package dev.concurrentlog.bench;

import java.io.IOException;

/** One way of writing log lines into a shared file: this handler or one of its peers. */
interface Sink {

    /** Writes one line (without its newline). Must be safe to call from many threads. */
    void write(String line) throws IOException;

    /** Flushes and closes. */
    void close() throws IOException;
}

package dev.concurrentlog.bench;

import java.io.IOException;

/** One way of writing log lines into a shared file: this handler or one of its peers. */
interface Sink {

    /** Writes one line (without its newline). Must be safe to call from many threads. */
    void write(String line) throws IOException;

    /** Flushes and closes. */
    void close() throws IOException;

    /** What {@link #write(String)} does. */
    @FunctionalInterface
    interface LineWriter {
        void write(String line) throws IOException;
    }

    /** What {@link #close()} does. */
    @FunctionalInterface
    interface Closing {
        void close() throws IOException;
    }

    /** A sink that writes each line with {@code write} and closes with {@code close}. */
    static Sink of(LineWriter write, Closing close) {
        return new Sink() {
            @Override
            public void write(String line) throws IOException {
                write.write(line);
            }

            @Override
            public void close() throws IOException {
                close.close();
            }
        };
    }
}

package dev.concurrentlog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.charset.spi.CharsetProvider;
import java.util.Iterator;
import java.util.List;

/**
 * A test character set (ASCII) whose encoder runs a task the first time it encodes after the task is set: the handler
 * encodes under its lock, so the task runs as code that logs from within the handler's own write would.
 */
public final class LoggingCharset extends Charset {

    static final String NAME = "X-CONCURRENTLOG-TEST-LOGGING";
    private static volatile Runnable nextEncode;
    private static volatile Runnable everyEncode;

    LoggingCharset() {
        super(NAME, null);
    }

    /** Runs {@code task} inside the next encode. */
    static void onNextEncode(Runnable task) {
        nextEncode = task;
    }

    /** Runs {@code task} inside every encode from now on; null stops it. */
    static void onEveryEncode(Runnable task) {
        everyEncode = task;
    }

    @Override
    public boolean contains(Charset cs) {
        return cs instanceof LoggingCharset;
    }

    @Override
    public CharsetDecoder newDecoder() {
        return StandardCharsets.US_ASCII.newDecoder();
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new CharsetEncoder(this, 1, 1) {
            @Override
            protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
                Runnable task = nextEncode;
                if (task != null) {
                    nextEncode = null;
                    task.run();
                }
                Runnable every = everyEncode;
                if (every != null) {
                    every.run();
                }
                while (in.hasRemaining()) {
                    if (!out.hasRemaining()) {
                        return CoderResult.OVERFLOW;
                    }
                    out.put((byte) in.get());
                }
                return CoderResult.UNDERFLOW;
            }
        };
    }

    /** Makes the charset known to {@link Charset#forName}, through {@code META-INF/services}. */
    public static final class Provider extends CharsetProvider {

        private static final Charset CHARSET = new LoggingCharset();

        @Override
        public Iterator<Charset> charsets() {
            return List.of(CHARSET).iterator();
        }

        @Override
        public Charset charsetForName(String charsetName) {
            return NAME.equalsIgnoreCase(charsetName) ? CHARSET : null;
        }
    }
}

package dev.concurrentlog.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import dev.concurrentlog.ConcurrentRotatingFileHandler;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.jboss.logmanager.handlers.FileHandler;
import org.jboss.logmanager.handlers.SizeRotatingFileHandler;

/** The writers the benchmarks compare, each opening a {@link Sink} on the shared file. */
enum Writer {

    /** This handler, autoFlush=true: each record is in the file when publish returns. Rotates at 10m. */
    CRH_AUTOFLUSH_TRUE("concurrent-log-handler autoFlush=true", true, "at 10m") {
        @Override
        Sink open(Path file, Entry entry) {
            return handler(concurrent(file, true), entry);
        }
    },
    /** This handler, autoFlush=false. Rotates at 10m. */
    CRH_AUTOFLUSH_FALSE("concurrent-log-handler autoFlush=false", true, "at 10m") {
        @Override
        Sink open(Path file, Entry entry) {
            return handler(concurrent(file, false), entry);
        }
    },
    /** This handler, autoFlush=true, rotating at 1m: the baseline of {@link #CRH_AUTOFLUSH_TRUE_GZ}. */
    CRH_AUTOFLUSH_TRUE_1M("concurrent-log-handler autoFlush=true, 1m", true, "at 1m") {
        @Override
        Sink open(Path file, Entry entry) {
            ConcurrentRotatingFileHandler handler = concurrent(file, true);
            handler.setRotateSize("1m");
            return handler(handler, entry);
        }
    },
    /** This handler, autoFlush=true, rotating at 1m, each backup compressed ({@code suffix=.gz}). */
    CRH_AUTOFLUSH_TRUE_GZ("concurrent-log-handler autoFlush=true, 1m, .gz", true, "at 1m, compressed") {
        @Override
        Sink open(Path file, Entry entry) {
            ConcurrentRotatingFileHandler handler = concurrent(file, true);
            handler.setRotateSize("1m");
            handler.setSuffix(".gz");
            return handler(handler, entry);
        }
    },
    /** jboss-logmanager SizeRotatingFileHandler, append=true, rotating at 10m: unsafe across processes. */
    JBOSS_SIZE("jboss-logmanager SizeRotatingFileHandler", false, "at 10m") {
        @Override
        Sink open(Path file, Entry entry) throws IOException {
            SizeRotatingFileHandler handler = new SizeRotatingFileHandler(file.toFile(), true, ROTATE_SIZE, BACKUPS);
            handler.setAutoFlush(true);
            return handler(handler, entry);
        }
    },
    /** jboss-logmanager FileHandler, append=true, no rotation: unsafe across processes. */
    JBOSS_FILE("jboss-logmanager FileHandler", false, "no") {
        @Override
        Sink open(Path file, Entry entry) throws IOException {
            return fileHandler(file, true, entry);
        }
    },
    /**
     * jboss-logmanager FileHandler, autoFlush=false, no rotation: the unsafe peer of {@link #CRH_AUTOFLUSH_FALSE}. It
     * writes 8 KiB at a time, so processes tear each other's records.
     */
    JBOSS_FILE_BUFFERED("jboss-logmanager FileHandler autoFlush=false", false, "no") {
        @Override
        Sink open(Path file, Entry entry) throws IOException {
            return fileHandler(file, false, entry);
        }
    },
    /** Logback FileAppender, prudent=true (file locking), which cannot rotate by size. */
    LOGBACK_PRUDENT("Logback FileAppender prudent=true", true, "no") {
        @Override
        Sink open(Path file, Entry entry) {
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new LogbackMDCAdapter());
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setContext(context);
            appender.setFile(file.toString());
            appender.setAppend(true);
            appender.setPrudent(true);
            appender.setEncoder(encoder);
            appender.start();
            ch.qos.logback.classic.Logger logger = context.getLogger("bench");
            logger.setAdditive(false);
            logger.addAppender(appender);
            return Sink.of(logger::info, context::stop);
        }
    },
    /** Log4j2 FileAppender, locking=true, which cannot rotate. */
    LOG4J2_LOCKING("Log4j2 FileAppender locking=true", true, "no") {
        @Override
        Sink open(Path file, Entry entry) {
            org.apache.logging.log4j.core.appender.FileAppender appender =
                    org.apache.logging.log4j.core.appender.FileAppender.newBuilder()
                            .setName("bench")
                            .withFileName(file.toString())
                            .withAppend(true)
                            .withLocking(true)
                            .setImmediateFlush(true)
                            .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build())
                            .build();
            appender.start();
            return Sink.of(line -> appender.append(Log4jLogEvent.newBuilder().setLoggerName("bench")
                    .setLevel(org.apache.logging.log4j.Level.INFO).setMessage(new SimpleMessage(line)).build()),
                    appender::stop);
        }
    },
    /** One write per record to a file opened with O_APPEND, no lock, no rotation: the unsafe baseline. */
    O_APPEND("plain O_APPEND write, no lock", false, "no") {
        @Override
        Sink open(Path file, Entry entry) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return Sink.of(line -> channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8))),
                    channel::close);
        }
    };

    /** The rotate size of the writers that rotate "at 10m" unless {@code bench.rotateSize} (bytes) says otherwise. */
    static final long ROTATE_SIZE = Long.getLong("bench.rotateSize", 10L * 1024 * 1024);
    static final int BACKUPS = Integer.getInteger("bench.maxBackupIndex", 10_000);

    final String label;
    final boolean safe;
    /** Whether and at what size it rotates, for the report. */
    private final String rotates;

    /** Whether and at what size it rotates, for the report. */
    String rotates() {
        return rotates.equals("at 10m") && ROTATE_SIZE != 10L * 1024 * 1024
                ? "at " + ROTATE_SIZE + " bytes, " + BACKUPS + " backups" : rotates;
    }

    /** Whether {@link Entry} makes a difference: a JBoss LogManager handler; the others have their own API. */
    boolean takesEntry() {
        return this != LOGBACK_PRUDENT && this != LOG4J2_LOCKING && this != O_APPEND;
    }

    Writer(String label, boolean safe, String rotates) {
        this.label = label;
        this.safe = safe;
        this.rotates = rotates;
    }

    /**
     * Opens the writer on {@code file}. A JBoss LogManager handler gets its records through {@code entry}; the other
     * peers through their own API either way.
     */
    abstract Sink open(Path file, Entry entry) throws IOException;

    private static ConcurrentRotatingFileHandler concurrent(Path file, boolean autoFlush) {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler(file.toString());
        handler.setRotateSize(Long.toString(ROTATE_SIZE));
        handler.setMaxBackupIndex(BACKUPS);
        handler.setAutoFlush(autoFlush);
        return handler;
    }

    private static Sink fileHandler(Path file, boolean autoFlush, Entry entry) throws IOException {
        FileHandler handler = new FileHandler(file.toFile(), true);
        handler.setAutoFlush(autoFlush);
        return handler(handler, entry);
    }

    private static Sink handler(Handler handler, Entry entry) {
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + "\n";
            }
        });
        if (entry == Entry.LOGGER) {
            org.jboss.logmanager.Logger logger = org.jboss.logmanager.LogContext.create().getLogger("bench");
            logger.setUseParentHandlers(false);
            logger.setLevel(Level.INFO);
            logger.addHandler(handler);
            return Sink.of(logger::info, handler::close);
        }
        return Sink.of(line -> handler.publish(new LogRecord(Level.INFO, line)), handler::close);
    }
}

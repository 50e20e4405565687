package dev.concurrentlog;

import java.nio.file.Path;
import java.util.logging.ErrorManager;

import dev.concurrentlog.testkit.ParentLink;

/**
 * A writer JVM whose handler is closed while one of its threads shifts the backups (held there by a Byteman rule, see
 * {@link CloseDuringShiftIT}): a thread publishes until its rotation's shift; the JVM says {@code ready}; on
 * {@code go} it closes the handler and says {@code closed} once {@code close} returns. Arguments: the log, and
 * optionally {@code publish}: then on {@code go} another thread first publishes 60 records ({@code m T0}), through
 * rotations that take the OS lock while the shift is held, and the handler is closed once both threads are done.
 */
public final class ClosingWriter {

    public static void main(String[] args) throws Exception {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler();
        handler.setFileName(Path.of(args[0]).toString());
        handler.setErrorManager(new ErrorManager());
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        TestHandlers.rotateAt(handler, "1k", 100); // none deleted: the test counts every record
        handler.setLockTimeout("1s");
        Thread writer = new Thread(() -> TestHandlers.writeRecords(handler, "c", 0, 0, 40), "writer");
        writer.start();
        ParentLink.ready();
        ParentLink.await();
        if (args.length > 1 && args[1].equals("publish")) {
            TestHandlers.writeRecords(handler, "m", 0, 0, 60);
            writer.join(); // every record published before the close
        }
        handler.close();
        ParentLink.tell("closed");
        writer.join();
    }
}

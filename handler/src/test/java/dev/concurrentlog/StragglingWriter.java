package dev.concurrentlog;

import java.nio.file.Path;
import java.util.logging.ErrorManager;

import dev.concurrentlog.testkit.ParentLink;

/**
 * A writer JVM whose one record is written without the OS lock, past lockTimeout, and held there by a Byteman rule
 * (see {@link UnlockedWriteIT}): it says {@code ready}; on {@code go} it publishes the record {@code b T0 #0}, says
 * {@code done} once {@code publish} returned, and closes. Arguments: the log and the suffix.
 */
public final class StragglingWriter {

    public static void main(String[] args) throws Exception {
        ConcurrentRotatingFileHandler handler = new ConcurrentRotatingFileHandler();
        handler.setFileName(Path.of(args[0]).toString());
        handler.setErrorManager(new ErrorManager());
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        handler.setSuffix(args[1]);
        TestHandlers.rotateAt(handler, "1k", 5);
        handler.setLockTimeout("1s");
        ParentLink.ready();
        ParentLink.await();
        TestHandlers.writeRecords(handler, "b", 0, 0, 1);
        ParentLink.tell("done");
        handler.close();
    }
}

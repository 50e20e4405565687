package dev.concurrentlog.bench;

/** How records reach a handler in a run. */
enum Entry {
    /** Through an {@code org.jboss.logmanager.Logger} of its own log context, as an application logs. */
    LOGGER("Logger"),
    /** By calling the handler's {@code publish} with a new {@code LogRecord}: the handler alone. */
    PUBLISH("publish");

    final String label;

    Entry(String label) {
        this.label = label;
    }
}

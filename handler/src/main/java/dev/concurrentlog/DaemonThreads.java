package dev.concurrentlog;

/** Starts the handler's own background threads. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * Starts a daemon thread. Its context class loader is cleared: the thread lives as long as the JVM, and the loader
     * of whatever application published the record that started it (a deployment in WildFly) must not be kept alive
     * by it after that application is gone.
     */
    static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        thread.start();
        return thread;
    }
}

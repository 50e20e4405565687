package dev.concurrentlog;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The storage checker: {@code java -jar concurrent-log-handler.jar check DIR}. It tells an operator whether the file
 * system under {@code DIR} gives the handler what it relies on, by running several processes that use the handler's own
 * primitives on files there (see {@link StorageCheckCoordinator#CHECKS}), and prints each check with PASS or FAIL, its
 * figures and a one-line reason, after the file system's type and mount options. The exit status is 0 only when every
 * check passes, 1 when one fails, 2 on bad usage.
 * <p>
 * {@code serve DIR} and {@code join HOST:PORT DIR} check a directory that several hosts mount: one host serves and
 * judges, every host joins with processes of its own.
 */
public final class StorageCheck {

    private static final String USAGE = """
            usage:
              java -jar concurrent-log-handler.jar check DIR [--processes N] [--json] [--checks NAMES] [--logmanager CP]
              java -jar concurrent-log-handler.jar serve DIR [--processes N] [--port P] [--bind ADDRESS] [--json]
                                                             [--checks NAMES] [--wait SECONDS]
              java -jar concurrent-log-handler.jar join HOST:PORT DIR [--processes N] [--logmanager CP]

              check  runs N processes (4 by default) on this host against DIR
              serve  waits for N processes (4 by default) that other hosts start with join, then checks DIR
              join   starts N processes (2 by default) on this host for a serving host; DIR as this host mounts it
              --checks      a comma-separated subset of: %s
              --logmanager  the jboss-logmanager and wildfly-common jars (found by itself in a WildFly install's
                            modules, or on the class path with java -cp)
            exit status: 0 every check passed, 1 a check failed, 2 bad usage or the check could not start
            """.formatted(String.join(",", StorageCheckCoordinator.CHECKS));

    private StorageCheck() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            status = 2;
        } catch (IOException | InterruptedException e) {
            System.err.println("storage check could not run: " + StorageCheckWorker.oneLine(e));
            status = 2;
        }
        System.exit(status);
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        if (args.length < 2) {
            throw new UsageException("missing command or directory");
        }
        Options options = Options.parse(args);
        return switch (args[0]) {
            case "check", "serve" -> check(options, out);
            case "join" -> join(options);
            default -> throw new UsageException("unknown command " + args[0]);
        };
    }

    private static int check(Options options, PrintStream out) throws IOException, InterruptedException {
        Path directory = existingDirectory(options.directory);
        boolean local = options.command.equals("check");
        InetSocketAddress address = local ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
                : new InetSocketAddress(options.bind == null ? InetAddress.getByName("0.0.0.0")
                        : InetAddress.getByName(options.bind), options.port);
        String work = ".concurrent-log-check-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
        long seed = System.nanoTime();
        List<Process> started = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(address);
            StorageCheckCoordinator coordinator = new StorageCheckCoordinator(server, directory, work,
                    StorageCheckCoordinator.Sizes.DEFAULT, seed);
            try (coordinator) {
                String at = "127.0.0.1:" + server.getLocalPort();
                if (local) {
                    List<String> classPath = workerClassPath(options.logManager);
                    for (int i = 0; i < options.processes; i++) {
                        started.add(startWorker(classPath, at, directory));
                    }
                } else {
                    System.err.println("waiting for " + options.processes + " processes on port "
                            + server.getLocalPort() + "; on each host run: java -jar " + ownLocation()
                            + " join THIS_HOST:" + server.getLocalPort() + " DIR_ON_THAT_HOST --processes N");
                }
                coordinator.accept(options.processes, local ? TimeUnit.MINUTES.toMillis(1)
                        : TimeUnit.SECONDS.toMillis(options.waitSeconds));
                List<String> members = coordinator.members();
                List<CheckOutcome> outcomes = coordinator.run(options.checks);
                boolean passed = outcomes.stream().allMatch(CheckOutcome::passed);
                coordinator.finish(passed ? 0 : 1);
                MountInfo mount = MountInfo.of(directory);
                out.println(options.json ? json(directory, mount, members, outcomes, passed)
                        : text(directory, mount, members, outcomes, passed));
                return passed ? 0 : 1;
            }
        } finally {
            for (Process process : started) {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            deleteTree(directory.resolve(work));
        }
    }

    /** Starts the processes of this host for a serving host, and waits for them. */
    private static int join(Options options) throws IOException, InterruptedException {
        Path directory = existingDirectory(options.directory);
        List<String> classPath = workerClassPath(options.logManager);
        List<Process> started = new ArrayList<>();
        int status = 0;
        try {
            for (int i = 0; i < options.processes; i++) {
                started.add(startWorker(classPath, options.address, directory));
            }
            for (Process process : started) {
                int exit = process.waitFor();
                // 137: the process that held the OS lock when the coordinator had it die
                if (exit != 0 && exit != 137) {
                    status = 1;
                }
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }
        System.err.println(status == 0 ? "every check passed (the serving host prints them)"
                : "a check failed (the serving host prints them)");
        return status;
    }

    private static Process startWorker(List<String> classPath, String address, Path directory) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        if (classPath.stream().anyMatch(entry -> Path.of(entry).getFileName().toString().startsWith("jboss-logmanager"))) {
            // its System.Logger finder complains when the JDK logs before java.util.logging is set up otherwise
            command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(StorageCheckWorker.class.getName());
        command.add(address);
        command.add(directory.toString());
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    // Where the classes are.

    /**
     * The class path of a worker: where this class was loaded from, and jboss-logmanager with what it needs for the
     * handler's check: as given, or found beside this jar in a WildFly install's modules (the module
     * {@code org.jboss.logmanager} and its dependencies), or on this class path.
     */
    static List<String> workerClassPath(String logManager) {
        List<String> classPath = new ArrayList<>();
        if (logManager != null) {
            classPath.add(ownLocation().toString());
            classPath.addAll(List.of(logManager.split(File.pathSeparator)));
            return classPath;
        }
        if (loadable("org.jboss.logmanager.ExtHandler")) {
            classPath.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
            return classPath;
        }
        classPath.add(ownLocation().toString());
        Path modules = modulesOf(ownLocation());
        if (modules != null) {
            classPath.addAll(ModuleClassPath.of(modules, "org.jboss.logmanager"));
        }
        return classPath; // without jboss-logmanager the handler's check fails and says so
    }

    /** The {@code modules} directory this jar lies in ({@code $JBOSS_HOME/modules/dev/concurrentlog/main}), or null. */
    static Path modulesOf(Path jar) {
        for (Path dir = jar.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (dir.getFileName() != null && dir.getFileName().toString().equals("modules")
                    && Files.isDirectory(dir.resolve("system/layers/base"))) {
                return dir;
            }
        }
        String home = System.getenv("JBOSS_HOME");
        return home != null && Files.isDirectory(Path.of(home, "modules/system/layers/base"))
                ? Path.of(home, "modules") : null;
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, StorageCheck.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Path ownLocation() {
        try {
            return Path.of(StorageCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // The report.

    private static String text(Path directory, MountInfo mount, List<String> members, List<CheckOutcome> outcomes,
            boolean passed) {
        String n = System.lineSeparator();
        StringBuilder text = new StringBuilder("storage check of ").append(directory).append(n);
        if (mount == null) {
            text.append("file system: unknown (/proc/self/mountinfo cannot be read)").append(n);
        } else {
            text.append("file system: ").append(mount.type()).append(" from ").append(mount.source())
                    .append(" mounted at ").append(mount.mountPoint()).append(" (").append(mount.options())
                    .append("; ").append(mount.superOptions()).append(')').append(n);
            if (mount.warning() != null) {
                text.append("WARNING: ").append(mount.warning()).append("; do not share it across hosts even if "
                        + "every check passes").append(n);
            }
        }
        text.append("processes: ").append(String.join(", ", members)).append(n);
        for (CheckOutcome outcome : outcomes) {
            text.append(outcome.text()).append(n);
        }
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        return text.append(passed ? "ALL PASSED" : failed + " of " + outcomes.size() + " checks FAILED").toString();
    }

    private static String json(Path directory, MountInfo mount, List<String> members, List<CheckOutcome> outcomes,
            boolean passed) {
        StringBuilder json = new StringBuilder("{\"directory\":").append(CheckOutcome.quote(directory.toString()));
        if (mount != null) {
            json.append(",\"fileSystem\":{\"type\":").append(CheckOutcome.quote(mount.type()))
                    .append(",\"source\":").append(CheckOutcome.quote(mount.source()))
                    .append(",\"mountPoint\":").append(CheckOutcome.quote(mount.mountPoint()))
                    .append(",\"options\":").append(CheckOutcome.quote(mount.options()))
                    .append(",\"superOptions\":").append(CheckOutcome.quote(mount.superOptions())).append('}');
        }
        json.append(",\"warning\":").append(CheckOutcome.quote(mount == null ? null : mount.warning()));
        json.append(",\"processes\":[");
        for (int i = 0; i < members.size(); i++) {
            json.append(i == 0 ? "" : ",").append(CheckOutcome.quote(members.get(i)));
        }
        json.append("],\"checks\":[");
        for (int i = 0; i < outcomes.size(); i++) {
            json.append(i == 0 ? "" : ",").append(outcomes.get(i).json());
        }
        return json.append("],\"passed\":").append(passed).append('}').toString();
    }

    // Files.

    private static Path existingDirectory(String name) {
        Path directory = Path.of(name).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new UsageException(directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            throw new UsageException(directory + " is not writable");
        }
        return directory;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + StorageCheckWorker.oneLine(e));
        }
    }

    /** The command line's options. */
    private static final class Options {
        String command;
        String directory;
        String address;
        int processes;
        boolean json;
        int port;
        String bind;
        int waitSeconds = 300;
        String logManager;
        List<String> checks = StorageCheckCoordinator.CHECKS;

        static Options parse(String[] args) {
            Options options = new Options();
            options.command = args[0];
            int at = 1;
            if (options.command.equals("join")) {
                if (args.length < 3) {
                    throw new UsageException("join needs HOST:PORT and DIR");
                }
                options.address = args[at++];
                if (options.address.lastIndexOf(':') < 1) {
                    throw new UsageException("not HOST:PORT: " + options.address);
                }
            }
            options.directory = args[at++];
            options.processes = options.command.equals("join") ? 2 : 4;
            for (; at < args.length; at++) {
                String option = args[at];
                switch (option) {
                    case "--json" -> options.json = true;
                    case "--processes" -> options.processes = number(option, value(args, ++at), 1, 128);
                    case "--port" -> options.port = number(option, value(args, ++at), 0, 65535);
                    case "--bind" -> options.bind = value(args, ++at);
                    case "--wait" -> options.waitSeconds = number(option, value(args, ++at), 1, 86_400);
                    case "--logmanager" -> options.logManager = value(args, ++at);
                    case "--checks" -> {
                        options.checks = List.of(value(args, ++at).split(","));
                        for (String check : options.checks) {
                            if (!StorageCheckCoordinator.CHECKS.contains(check)) {
                                throw new UsageException("unknown check " + check);
                            }
                        }
                    }
                    default -> throw new UsageException("unknown option " + option);
                }
            }
            if (!options.command.equals("join") && options.processes < 2) {
                throw new UsageException("--processes must be at least 2");
            }
            return options;
        }

        private static String value(String[] args, int at) {
            if (at >= args.length) {
                throw new UsageException(args[at - 1] + " needs a value");
            }
            return args[at];
        }

        private static int number(String option, String text, int min, int max) {
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new UsageException(option + " must be a number from " + min + " to " + max + ": " + text);
        }
    }

    /** A command line that cannot be run. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

package dev.concurrentlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suites' coverage, by construction: every call of the handler's bytecode that renames, deletes, truncates,
 * creates, opens or writes a file, or takes or lets go of a lock, is a {@link FaultPoint.Site} (or sits in a method
 * that one names as the call it wraps), or is listed here as no step of the protocol, with the reason. A call added
 * to the handler without a point fails this test.
 */
class FaultPointCatalogueTest {

    /** The calls that change a file or a lock. */
    private static final Pattern WATCHED = Pattern.compile("// (?:Interface)?Method (java/nio/file/Files\\.(?:move|"
            + "delete|deleteIfExists|createFile|createDirectory|createDirectories|write|newOutputStream|copy)"
            + "|java/nio/channels/FileChannel\\.(?:open|truncate|tryLock|lock|write|force|transferFrom)"
            + "|java/nio/channels/FileLock\\.(?:release|close)"
            + "|dev/concurrentlog/FileCreator\\.createIfMissing):");
    private static final Pattern METHOD = Pattern.compile("^  (?:[\\w.$<>\\[\\], ]+ )?([\\w$<>]+)\\(.*\\).*;$");

    /** Calls that are no step of the protocol, by {@code Class#method -> call}, with the reason. */
    private static final Map<String, String> NOT_STEPS = Map.of(
            "PathValidator#createMissingDirectories -> java/nio/file/Files.createDirectory",
            "configuration: makes the log's directory when fileName is set, before any record",
            "PathValidator#writableFile -> java/nio/file/Files.deleteIfExists",
            "configuration: undoes what it made to check a refused fileName",
            "WriterSlots#alive -> java/nio/channels/FileChannel.tryLock",
            "a probe of another process's slot lock, let go at once: tells a dead writer, changes nothing",
            "WriterSlots#alive -> java/nio/channels/FileLock.release", "the same probe",
            "GroupPresence#alone -> java/nio/channels/FileChannel.tryLock",
            "a probe of the presence byte, let go at once: changes nothing",
            "GroupPresence#alone -> java/nio/channels/FileLock.release", "the same probe",
            "GroupPresence#retake -> java/nio/channels/FileLock.release",
            "lets go of this JVM's shared presence lock just before it takes it again (presence-lock)",
            "FileCreator#createIfMissing -> java/nio/channels/FileChannel.open",
            "inside the wrapper that the create sites name");

    @Test
    void everyCallThatChangesAFileOrALockIsAFaultPoint() throws Exception {
        List<String> missing = new ArrayList<>();
        Set<String> found = new TreeSet<>();
        for (String className : handlerClasses()) {
            String method = null;
            for (String line : javap(className).split("\n")) {
                Matcher header = METHOD.matcher(line);
                if (header.matches()) {
                    method = header.group(1);
                    Matcher lambda = Pattern.compile("lambda\\$(\\w+)\\$\\d+").matcher(method);
                    method = lambda.matches() ? lambda.group(1) : method; // a lambda's calls are its method's
                }
                Matcher call = WATCHED.matcher(line);
                if (call.find() && method != null) {
                    String simpleClass = className.substring(className.lastIndexOf('.') + 1);
                    String key = simpleClass + "#" + method + " -> " + call.group(1);
                    found.add(key);
                    if (!covered(className, method, call.group(1)) && !NOT_STEPS.containsKey(key)
                            && !NOT_STEPS.containsKey(key.replaceFirst("\\$\\w+#", "#"))) {
                        missing.add(key);
                    }
                }
            }
        }
        System.out.println("Calls that change a file or a lock: " + found.size());
        found.forEach(call -> System.out.println("  " + call));
        assertTrue(found.size() > 20, "the scan found too few calls to be right: " + found);
        assertEquals(List.of(), missing, "calls of the handler that no fault point covers: add a FaultPoint.Site, "
                + "or say here why the call is no step of the protocol");
    }

    // Byteman skips a rule that fails to type-check, silently: every rule the suites can make must pass its checker
    @Test
    void everyRuleTheSuitesMakeTypeChecks() throws Exception {
        StringBuilder rules = new StringBuilder(FaultPoint.censusRules()).append(FaultRun.TRUST_OPEN_FILE);
        int count = FaultPoint.SITES.size() + 1;
        for (FaultPoint.Site site : FaultPoint.SITES) {
            for (FaultPoint point : FaultPoint.of(site, 1)) {
                rules.append(point.rule(FaultPoint.Fault.KILL, 0, null)).append(point.rule(FaultPoint.Fault.STALL, 1,
                        null));
                count += 2;
            }
            if (FaultPlan.mayFailWithIOException(site)) {
                for (String errno : List.of("ENOSPC", "EIO", "EACCES")) {
                    rules.append(new FaultPoint(site, false, 1).rule(FaultPoint.Fault.FAIL, 1, errno));
                    count++;
                }
            }
        }
        Path script = Files.writeString(Files.createTempFile("fault-points", ".btm"), rules);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath, "org.jboss.byteman.check.TestScript", script.toString()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), said);
        assertTrue(said.contains("TestScript: no errors"), said);
        assertEquals(count, said.split("Type checked rule", -1).length - 1, "rules type-checked: " + said);
        System.out.println(count + " rules type-check");
    }

    /**
     * Whether a site names the call ({@code className}, {@code method}, {@code call}), or names {@code method} of
     * {@code className}'s outer class as the call it wraps (writeAll, shift): its callers' sites cover it.
     */
    private static boolean covered(String className, String method, String call) {
        String callName = call.substring(call.lastIndexOf('.') + 1);
        String callClass = call.substring(0, call.lastIndexOf('.')).replace('/', '.');
        String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        for (FaultPoint.Site site : FaultPoint.SITES) {
            String invoked = site.invoked();
            String invokedName = invoked.substring(invoked.lastIndexOf('.') + 1);
            boolean direct = site.className().equals(className) && site.method().equals(method)
                    && invokedName.equals(callName) && (callClass.endsWith(invoked.substring(0,
                    Math.max(0, invoked.lastIndexOf('.')))) || !invoked.contains("."));
            boolean wrapped = invokedName.equals(method) && (outer.endsWith("." + invoked.substring(0,
                    Math.max(0, invoked.lastIndexOf('.')))) || !invoked.contains(".") && site.className()
                    .startsWith(outer));
            if (direct || wrapped) {
                return true;
            }
        }
        return false;
    }

    /** The classes of package {@code dev.concurrentlog} in the handler's classes directory or jar. */
    private static List<String> handlerClasses() throws IOException, URISyntaxException {
        Path location = Path.of(ConcurrentRotatingFileHandler.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.map(location::relativize).map(Path::toString).forEach(names::add);
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                jar.stream().map(entry -> entry.getName()).forEach(names::add);
            }
        }
        // the package itself, not the test kit's verifier unpacked into the jar, nor the storage checker, a tool of
        // its own that writes files of its own to try the file system
        return names.stream().filter(name -> name.matches("dev/concurrentlog/[^/]+\\.class")
                && !name.contains("package-info") && !name.startsWith("dev/concurrentlog/StorageCheck"))
                .map(name -> name.substring(0, name.length() - 6).replace('/', '.')).sorted().toList();
    }

    private static String javap(String className) throws URISyntaxException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String classPath = Path.of(ConcurrentRotatingFileHandler.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString();
        int exit = javap.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "-c", "-p", "-cp",
                classPath, className);
        assertEquals(0, exit, "javap " + className);
        return out.toString(StandardCharsets.UTF_8);
    }
}

package dev.concurrentlog;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import dev.concurrentlog.testkit.LogCheck;
import dev.concurrentlog.testkit.LogFiles;
import dev.concurrentlog.testkit.RecordFormat;
import dev.concurrentlog.testkit.SizeRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad configuration input: every refused value fails with a message naming the property and the value, leaves every
 * property as it was, creates or changes no file, and the handler goes on logging as configured.
 */
class BadInputTest {

    /** Makes whatever a case needs on disk (in the test's directory) and returns the value to set. */
    interface Fixture {
        String value(Path dir) throws Exception;
    }

    @TempDir
    Path dir;

    private final RecordingErrorManager errors = new RecordingErrorManager();
    private ConcurrentRotatingFileHandler handler;
    private Path log;

    /** Every property set to something other than its default, so that a reset to the default would show. */
    @BeforeEach
    void configureEveryProperty() throws IOException {
        log = dir.resolve("app.log");
        handler = new ConcurrentRotatingFileHandler();
        handler.setErrorManager(errors);
        handler.setFormatter(new ConcurrentRotatingFileHandlerTest.MessageFormatter());
        handler.setFileName(log.toString());
        handler.setLockFile(dir.resolve("app.lock").toString());
        handler.setRotateSize("512k");
        handler.setMaxBackupIndex(3);
        handler.setLockTimeout("5s");
        handler.setFilePermissions("rw-r-----");
        handler.setEncoding("ISO-8859-1");
        handler.setSuffix(".yyyy");
        handler.setTimeZone("Europe/Berlin");
        handler.setMaxHistory(7);
        log("before");
    }

    @AfterEach
    void closeAndCheckReports() {
        handler.close();
        errors.assertNoUnexpected();
    }

    static Stream<Arguments> badValues() {
        List<Arguments> cases = new ArrayList<>();
        fixed(cases, "rotateSize", "", "  ", "-1", "10x", "1.5m", "m", "10mb", "10 m", "k10", "1e6", "0x10",
                "99999999999999999999", "9999999999t", "8388608t");
        fixed(cases, "lockTimeout", "", "  ", "-1", "0", "0s", "10 parsecs", "1y", "1d", "1.5s", "s", "10 s",
                "99999999999999999999", "9000h", "8761h", "525601m");
        fixed(cases, "maxBackupIndex", "-1", String.valueOf(Integer.MIN_VALUE));
        fixed(cases, "suffix", ".yyyy-MM-dd-HH-mm-ss", ".ss", ".yyyy-MM-dd.SSS", ".yyyy-MM-dd'T", "'.unclosed",
                ".yyyy-qq", ".yyyy-MM-dd-ss.gz", ".yyyy-MM-dd-s.zip", ".bb");
        fixed(cases, "timeZone", "Mars/Olympus_Mons", "Europe/Berlinn", "GMT+99", "not a zone", "+25:00");
        fixed(cases, "maxHistory", "-1", String.valueOf(Integer.MIN_VALUE));
        fixed(cases, "filePermissions", "rwx", "rw-rw-rw-x", "abcdefghi", "RW-R-----", "r--------", "-w-------",
                "---------");
        fixed(cases, "encoding", "", "no-such-charset", "!!bad name", "UTF-9", "ISO-2022-CN");
        fixed(cases, "fileName", "", "  ", "/");
        cases.add(made("fileName", "a directory", d -> Files.createDirectory(d.resolve("dir-f")).toString()));
        cases.add(made("fileName", "a dangling symlink", d -> danglingLink(d, "dangling-f")));
        cases.add(made("fileName", "a symlink to a regular file", d -> linkToFile(d, "link-f")));
        cases.add(made("fileName", "a FIFO", d -> fifo(d, "fifo-f")));
        cases.add(made("fileName", "a NUL character", d -> d + "/a\u0000b.log"));
        cases.add(made("fileName", "under a regular file", d -> d.resolve("app.log/x.log").toString()));
        cases.add(made("fileName", "in a dangling directory link", d -> danglingLink(d, "dirlink-f") + "/x.log"));
        cases.add(made("fileName", "equal to lockFile", d -> d.resolve("app.lock").toString()));
        cases.add(made("fileName", "too long a name in a new directory",
                d -> d.resolve("new-f").resolve("x".repeat(300)).resolve("x.log").toString()));
        cases.add(made("fileName", "too long a name", d -> d.resolve("y".repeat(300)).toString()));
        cases.add(made("lockFile", "equal to fileName", d -> d.resolve("app.log").toString()));
        cases.add(made("lockFile", "equal to fileName through a directory link",
                d -> Files.createSymbolicLink(d.resolve("same-l"), d).resolve("app.log").toString()));
        cases.add(made("lockFile", "equal to a backup", d -> d.resolve("app.log.1").toString()));
        cases.add(made("lockFile", "a directory", d -> Files.createDirectory(d.resolve("dir-l")).toString()));
        cases.add(made("lockFile", "a dangling symlink", d -> danglingLink(d, "dangling-l")));
        cases.add(made("lockFile", "a symlink to a regular file", d -> linkToFile(d, "link-l")));
        cases.add(made("lockFile", "a NUL character", d -> d + "/a\u0000b.lock"));
        cases.add(made("lockFile", "too long a name in a new directory",
                d -> d.resolve("new-l").resolve("z".repeat(300)).resolve("x.lock").toString()));
        return cases.stream();
    }

    private static void fixed(List<Arguments> cases, String property, String... values) {
        Arrays.stream(values).forEach(value -> cases.add(made(property, "\"" + value + "\"", d -> value)));
    }

    private static Arguments made(String property, String description, Fixture fixture) {
        return Arguments.of(property, Named.of(description, fixture));
    }

    private static String danglingLink(Path d, String name) throws IOException {
        return Files.createSymbolicLink(d.resolve(name), d.resolve(name + "-missing")).toString();
    }

    private static String linkToFile(Path d, String name) throws IOException {
        return Files.createSymbolicLink(d.resolve(name), Files.createFile(d.resolve(name + "-target"))).toString();
    }

    private static String fifo(Path d, String name) throws Exception {
        Path fifo = d.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        return fifo.toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void badValueIsRefusedAndChangesNothing(String property, Fixture fixture) throws Exception {
        assertRefusedChangingNothing(property, fixture.value(dir));
        log("after");
        assertEquals("before\nafter\n", Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    @Test
    void fileNameOrLockFileInADirectoryThisProcessMayNotWriteIsRefused() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        try (Unwritable unwritable = Unwritable.make(locked)) {
            assertRefusedChangingNothing("fileName", locked.resolve("app.log").toString());
            assertRefusedChangingNothing("fileName", locked.resolve("sub/app.log").toString());
            assertRefusedChangingNothing("lockFile", locked.resolve("app.lock").toString());
        }
        log("after");
        assertEquals("before\nafter\n", Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    @Test
    void validValuesAfterManyRefusedOnesWorkNormally() throws Exception {
        for (Arguments arguments : badValues().toList()) {
            @SuppressWarnings("unchecked")
            Named<Fixture> fixture = (Named<Fixture>) arguments.get()[1];
            assertRefusedChangingNothing((String) arguments.get()[0], fixture.getPayload().value(dir));
        }
        Path next = dir.resolve("next.log");
        handler.setFileName(next.toString());
        TestHandlers.rotateAt(handler, "1k", 50);
        handler.setSuffix("");
        assertEquals("1k", handler.getRotateSize());
        assertEquals(1024, handler.getRotateSizeBytes());
        for (int sequence = 0; sequence < 100; sequence++) {
            log(RecordFormat.record("w", 0, sequence, 40));
        }
        assertTrue(Files.exists(BackupRotator.backup(next, 5)), "rotated");
        LogCheck.verify(LogFiles.oldestFirst(next), Map.of("w T0", 100L));
        SizeRule.verify(next, 1024, 80);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(next)));
        assertEquals("before\n", Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    private void assertRefusedChangingNothing(String property, String value) throws IOException {
        List<Object> properties = properties();
        Map<Path, String> tree = tree();
        Exception e = assertThrows(Exception.class, () -> set(property, value), property + "=" + value);
        assertEquals(property.equals("encoding") ? UnsupportedEncodingException.class
                : IllegalArgumentException.class, e.getClass(), e.toString());
        assertTrue(e.getMessage().contains("\"" + property + "\"") && e.getMessage().contains("\"" + value + "\""),
                e.getMessage());
        assertEquals(properties, properties(), "properties after " + e.getMessage());
        assertEquals(tree, tree(), "files after " + e.getMessage());
    }

    private void set(String property, String value) throws Exception {
        switch (property) {
            case "fileName" -> handler.setFileName(value);
            case "lockFile" -> handler.setLockFile(value);
            case "rotateSize" -> handler.setRotateSize(value);
            case "maxBackupIndex" -> handler.setMaxBackupIndex(Integer.parseInt(value));
            case "lockTimeout" -> handler.setLockTimeout(value);
            case "filePermissions" -> handler.setFilePermissions(value);
            case "encoding" -> handler.setEncoding(value);
            case "suffix" -> handler.setSuffix(value);
            case "timeZone" -> handler.setTimeZone(value);
            case "maxHistory" -> handler.setMaxHistory(Integer.parseInt(value));
            default -> throw new AssertionError("no property " + property);
        }
    }

    private List<Object> properties() {
        return Arrays.asList(handler.getFileName(), handler.getLockFile(), handler.getRotateSize(),
                handler.getRotateSizeBytes(), handler.getMaxBackupIndex(), handler.getLockTimeout(),
                handler.getFilePermissions(), handler.getEncoding(), handler.getSuffix(), handler.getTimeZone(),
                handler.getMaxHistory());
    }

    /** Every path under the test directory, its kind and, but for directories, its size and modification time. */
    private Map<Path, String> tree() throws IOException {
        Map<Path, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                BasicFileAttributes attributes =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String kind = attributes.isRegularFile() ? "file" : attributes.isSymbolicLink() ? "link to "
                        + Files.readSymbolicLink(path) : attributes.isOther() ? "other" : "directory";
                tree.put(dir.relativize(path), attributes.isDirectory() ? kind : kind + ", " + attributes.size()
                        + " bytes, modified " + attributes.lastModifiedTime());
            }
        }
        return tree;
    }

    private void log(String message) {
        handler.publish(new LogRecord(Level.INFO, message));
    }
}

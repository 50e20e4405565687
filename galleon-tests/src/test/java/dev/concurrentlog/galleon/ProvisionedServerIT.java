package dev.concurrentlog.galleon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The server the build provisioned (wildfly-maven-plugin, goal provision) from WildFly's feature pack and this one,
 * with the layers core-server and concurrent-log-handler, minus jmx-remoting.
 */
class ProvisionedServerIT {

    private static final Path JBOSS_HOME = Path.of(System.getProperty("jboss.home"));
    private static final String HANDLER_JAR = System.getProperty("handler.jar");
    private static final int PORT_OFFSET = Integer.getInteger("galleon.port.offset");
    private static final int MANAGEMENT_PORT = Integer.getInteger("galleon.management.port");
    private static final long ROTATE_SIZE = 1024;
    private static final int MAX_BACKUP_INDEX = 20;
    /** A log record starts with the PATTERN formatter's date. */
    private static final Pattern RECORD_START =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} ", Pattern.MULTILINE);
    private static final Pattern ERROR = Pattern.compile("\\bERROR\\b|LogManager error|Failed to invoke setter");

    /** This test's own directory under target. */
    private Path testDir;

    /** The build skips provisioning a server the plugin cannot provision, and says why. */
    @BeforeEach
    void testDirectory(TestInfo test) throws IOException {
        String unsupported = System.getProperty("provisioning.unsupported", "");
        assumeTrue(unsupported.isBlank(), () -> "skipped: " + unsupported);
        testDir = JBOSS_HOME.resolveSibling("galleon-it").resolve(test.getTestMethod().orElseThrow().getName());
        deleteRecursively(testDir);
        Files.createDirectories(testDir);
    }

    @Test
    void theImageHasTheModuleAndTheHandlerOnTheRootLogger() throws Exception {
        Path module = JBOSS_HOME.resolve("modules/dev/concurrentlog/main");
        String moduleXml = Files.readString(module.resolve("module.xml"));
        assertTrue(moduleXml.contains("<resource-root path=\"" + HANDLER_JAR + "\"/>"),
                () -> "module.xml names the handler jar " + HANDLER_JAR + ":\n" + moduleXml);
        try (ZipFile jar = new ZipFile(module.resolve(HANDLER_JAR).toFile())) {
            assertNotNull(jar.getEntry("dev/concurrentlog/ConcurrentRotatingFileHandler.class"),
                    "the module's jar holds the handler class");
        }

        Document config = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(JBOSS_HOME.resolve("standalone/configuration/standalone.xml").toFile());
        Element handler = onlyElement(config, "custom-handler");
        assertEquals("CONCURRENT", handler.getAttribute("name"));
        assertEquals("dev.concurrentlog.ConcurrentRotatingFileHandler", handler.getAttribute("class"));
        assertEquals("dev.concurrentlog", handler.getAttribute("module"));
        Map<String, String> properties = new LinkedHashMap<>();
        NodeList propertyElements = handler.getElementsByTagName("property");
        for (int i = 0; i < propertyElements.getLength(); i++) {
            Element property = (Element) propertyElements.item(i);
            properties.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        assertEquals(Map.of(
                "fileName", "${concurrentlog.file,env.CONCURRENTLOG_FILE:${jboss.server.log.dir}/shared.log}",
                "rotateSize", "${concurrentlog.rotate-size,env.CONCURRENTLOG_ROTATE_SIZE:10m}",
                "maxBackupIndex", "${concurrentlog.max-backup-index,env.CONCURRENTLOG_MAX_BACKUP_INDEX:5}",
                "suffix", "${concurrentlog.suffix,env.CONCURRENTLOG_SUFFIX:}",
                "timeZone", "${concurrentlog.time-zone,env.CONCURRENTLOG_TIME_ZONE:}",
                "append", "true",
                "autoFlush", "true"), properties);

        // appended to the root logger's handlers, the ones the logging layer set kept
        assertEquals(List.of("CONSOLE", "FILE", "CONCURRENT"), rootLoggerHandlers(config));
    }

    @Test
    void aConfigurationWithoutConsoleGetsTheHandlerAppendedToItsOwnHandlers() throws Exception {
        Path jbossHome = Path.of(System.getProperty("jboss.home.without-console"));
        Document config = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(jbossHome.resolve("standalone/configuration/standalone.xml").toFile());
        assertEquals(0, config.getElementsByTagName("console-handler").getLength(), "no console-handler");
        assertEquals("CONCURRENT", onlyElement(config, "custom-handler").getAttribute("name"));
        assertEquals(List.of("FILE", "CONCURRENT"), rootLoggerHandlers(config));
    }

    @Test
    void bootsTwiceLoggingToTheSharedFileWhichRotates() throws Exception {
        // the server's base directory is a copy, so the tests leave the provisioned image as it was
        Path baseDir = testDir.resolve("standalone");
        copyRecursively(JBOSS_HOME.resolve("standalone"), baseDir);
        Path sharedLog = testDir.resolve("shared.log");
        Map<String, String> properties = Map.of(
                "concurrentlog.file", sharedLog.toString(),
                "concurrentlog.rotate-size", "1k");
        // through the environment variable: more than the default 5 backups, so both runs' records are kept
        Map<String, String> environment = Map.of("CONCURRENTLOG_MAX_BACKUP_INDEX", String.valueOf(MAX_BACKUP_INDEX));

        for (int run = 1; run <= 2; run++) {
            Path console = testDir.resolve("console-" + run + ".log");
            StandaloneServer server = StandaloneServer.boot(JBOSS_HOME, baseDir, PORT_OFFSET, MANAGEMENT_PORT,
                    properties, environment, console);
            try {
                server.shutdown();
            } finally {
                server.kill();
            }
            String output = server.consoleText();
            assertTrue(output.contains(StandaloneServer.STOPPED), () -> "the console shows the stop:\n" + output);
            List<String> errors = output.lines().filter(line -> ERROR.matcher(line).find()).toList();
            assertEquals(List.of(), errors, () -> "errors on the console " + console);
        }

        assertFalse(Files.exists(baseDir.resolve("log/shared.log")),
                "the system property, not the default ${jboss.server.log.dir}/shared.log, names the file");
        // the logging subsystem writes the values it resolved from the expressions
        String loggingProperties = Files.readString(baseDir.resolve("configuration/logging.properties"));
        for (String resolved : List.of("handler.CONCURRENT.fileName=" + sharedLog,
                "handler.CONCURRENT.rotateSize=1k", "handler.CONCURRENT.maxBackupIndex=" + MAX_BACKUP_INDEX)) {
            assertTrue(loggingProperties.lines().anyMatch(resolved::equals),
                    () -> "configuration/logging.properties has " + resolved + ":\n" + loggingProperties);
        }

        List<Path> backups = backupsOldestFirst(sharedLog);
        assertFalse(backups.isEmpty(), () -> "the file rotated at 1k: there are backups beside " + sharedLog);
        assertTrue(backups.size() <= MAX_BACKUP_INDEX,
                () -> "at most " + MAX_BACKUP_INDEX + " backups are kept: " + backups);
        List<Path> files = new ArrayList<>(backups);
        files.add(sharedLog);
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            long size = Files.size(file);
            long records = RECORD_START.matcher(text).results().count();
            assertTrue(records >= 1, () -> file + " holds log records");
            assertTrue(size <= ROTATE_SIZE || records == 1,
                    () -> file + " has " + size + " bytes in " + records + " records: more than the rotate size 1k");
            all.append(text);
        }

        // both runs' start and stop, in order, across the rotated files
        Matcher messages = Pattern.compile(StandaloneServer.STARTED + "|" + StandaloneServer.STOPPED).matcher(all);
        List<String> found = messages.results().map(MatchResult::group).toList();
        assertEquals(List.of(StandaloneServer.STARTED, StandaloneServer.STOPPED,
                        StandaloneServer.STARTED, StandaloneServer.STOPPED), found,
                () -> "start and stop messages in " + files);
    }

    private static Element onlyElement(Document document, String tag) {
        NodeList elements = document.getElementsByTagName(tag);
        assertEquals(1, elements.getLength(), () -> "number of <" + tag + "> elements in standalone.xml");
        return (Element) elements.item(0);
    }

    private static List<String> rootLoggerHandlers(Document config) {
        List<String> names = new ArrayList<>();
        NodeList handlers = onlyElement(config, "root-logger").getElementsByTagName("handler");
        for (int i = 0; i < handlers.getLength(); i++) {
            names.add(((Element) handlers.item(i)).getAttribute("name"));
        }
        return names;
    }

    /** {@code NAME.1} is the newest backup: highest index first. */
    private static List<Path> backupsOldestFirst(Path log) throws IOException {
        String prefix = log.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(log.getParent())) {
            return siblings
                    .filter(path -> path.getFileName().toString().startsWith(prefix)
                            && path.getFileName().toString().substring(prefix.length()).matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path path) ->
                            Integer.parseInt(path.getFileName().toString().substring(prefix.length()))).reversed())
                    .toList();
        }
    }

    private static void copyRecursively(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.copy(path, target.resolve(source.relativize(path).toString()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

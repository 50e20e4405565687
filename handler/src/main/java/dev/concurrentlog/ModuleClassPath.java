package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jars of a JBoss Modules module and of the modules it depends on, as a WildFly install lays them out under
 * {@code modules}: each module's {@code module.xml} names its jars ({@code resource-root}) and the modules it needs.
 * Modules with no directory (the JDK's, {@code org.jboss.modules} itself) are passed over. Used by the
 * {@link StorageCheck} to run the real handler from an install with nothing else on the class path.
 */
final class ModuleClassPath {

    private static final Pattern RESOURCE = Pattern.compile("<resource-root\\s+path=\"([^\"]+)\"");
    private static final Pattern DEPENDENCY = Pattern.compile("<module\\s+name=\"([^\"]+)\"");
    private static final Pattern ALIAS = Pattern.compile("target-name=\"([^\"]+)\"");

    private final List<Path> roots;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> jars = new ArrayList<>();

    private ModuleClassPath(Path modules) {
        roots = List.of(modules.resolve("system/layers/base"), modules);
    }

    /** The jars of {@code module} (such as {@code org.jboss.logmanager}) and its dependencies under {@code modules}. */
    static List<String> of(Path modules, String module) {
        ModuleClassPath path = new ModuleClassPath(modules);
        path.add(module);
        return path.jars;
    }

    private void add(String module) {
        if (!seen.add(module)) {
            return;
        }
        for (Path root : roots) {
            Path dir = root.resolve(module.replace('.', '/')).resolve("main");
            try {
                if (Files.isRegularFile(dir.resolve("module.xml"))) {
                    String xml = Files.readString(dir.resolve("module.xml"));
                    for (Matcher resource = RESOURCE.matcher(xml); resource.find(); ) {
                        jars.add(dir.resolve(resource.group(1)).toString());
                    }
                    for (Matcher dependency = DEPENDENCY.matcher(xml); dependency.find(); ) {
                        add(dependency.group(1));
                    }
                    return;
                }
                if (Files.isRegularFile(dir.resolve("module-alias.xml"))) {
                    Matcher target = ALIAS.matcher(Files.readString(dir.resolve("module-alias.xml")));
                    if (target.find()) {
                        add(target.group(1));
                    }
                    return;
                }
            } catch (IOException e) {
                return; // unreadable: the handler's check says what is missing
            }
        }
    }
}

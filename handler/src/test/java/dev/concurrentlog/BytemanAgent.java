package dev.concurrentlog;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The Byteman agent of the test class path, for the command line of a child JVM. */
final class BytemanAgent {

    private BytemanAgent() {
    }

    /** The agent's jar. */
    static Path jar() {
        try {
            return Path.of(org.jboss.byteman.agent.Main.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM option that loads the agent with the rules of {@code script}. */
    static String option(Path script) {
        return "-javaagent:" + jar() + "=script:" + script;
    }

    /**
     * {@link #option}, for rules on JDK classes too: the agent on the boot class path. The JVM also needs
     * {@code -Dorg.jboss.byteman.transform.all=true}.
     */
    static String optionOnJdk(Path script) {
        return option(script) + ",boot:" + jar();
    }
}

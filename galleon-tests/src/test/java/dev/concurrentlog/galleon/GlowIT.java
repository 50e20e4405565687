package dev.concurrentlog.galleon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What WildFly Glow chose, given WildFly's feature pack and this one (the build's dry runs of the wildfly-maven-plugin
 * goal package with discover-provisioning-info write it as a Galleon provisioning.xml).
 */
class GlowIT {

    private static final String PACK = "dev.concurrentlog:concurrent-log-handler-galleon-pack:";

    /** The build skips the Glow runs for a server Glow does not support, and says why. */
    @BeforeEach
    void glowSupportsTheServer() {
        String unsupported = System.getProperty("glow.unsupported", "");
        assumeTrue(unsupported.isBlank(), () -> "skipped: " + unsupported);
    }

    @Test
    void theAddOnConcurrentLogHandlerAddsTheLayer() throws Exception {
        Document provisioning = parse(System.getProperty("glow.add-on"));
        assertTrue(featurePacks(provisioning).stream().anyMatch(location -> location.startsWith(PACK)),
                () -> "Glow provisions this feature pack: " + featurePacks(provisioning));
        assertEquals(Set.of("ee-core-profile-server", "concurrent-log-handler"), layers(provisioning),
                "layers Glow chose for the add-on concurrent-log-handler, without a deployment");
    }

    @Test
    void aDeploymentWhoseLoggingPropertiesNamesTheHandlerGetsTheModule() throws Exception {
        Document provisioning = parse(System.getProperty("glow.discovery"));
        Set<String> layers = layers(provisioning);
        assertTrue(layers.contains("concurrent-log-handler-module"),
                () -> "Glow found META-INF/logging.properties naming the handler, layers: " + layers);
        assertFalse(layers.contains("concurrent-log-handler"),
                () -> "a deployment's own handler needs the module only, not the server handler: " + layers);
    }

    private static Document parse(String file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of(file).toFile());
    }

    private static Set<String> featurePacks(Document provisioning) {
        return attributes(provisioning, "feature-pack", "location");
    }

    /** The layers the standalone.xml configuration includes. */
    private static Set<String> layers(Document provisioning) {
        return attributes(provisioning, "include", "name");
    }

    private static Set<String> attributes(Document document, String tag, String attribute) {
        Set<String> values = new LinkedHashSet<>();
        NodeList elements = document.getElementsByTagName(tag);
        for (int i = 0; i < elements.getLength(); i++) {
            values.add(((Element) elements.item(i)).getAttribute(attribute));
        }
        return values;
    }
}

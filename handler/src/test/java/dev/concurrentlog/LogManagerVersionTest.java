package dev.concurrentlog;

import org.jboss.logmanager.ExtHandler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Proves which jboss-logmanager the tests of this run load: the build runs them against 2.1 and 3.x. */
class LogManagerVersionTest {

    @Test
    void testsRunAgainstTheIntendedLogManager() throws Exception {
        String expected = System.getProperty("expected.logmanager.version");
        assertNotNull(expected, "the build sets expected.logmanager.version");
        String jar = ExtHandler.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertEquals(true, jar.contains("jboss-logmanager-" + expected + ".jar") || jar.contains("/" + expected + "/"),
                "jboss-logmanager " + expected + " expected, loaded from " + jar);
    }
}

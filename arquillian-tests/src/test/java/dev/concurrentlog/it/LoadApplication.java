package dev.concurrentlog.it;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.concurrentlog.testkit.RecordFormat;
import dev.concurrentlog.testkit.load.JavaxLoadServlet;
import dev.concurrentlog.testkit.load.LoadServlet;
import dev.concurrentlog.testkit.load.LoadThreads;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The load application the tests deploy, {@code load.war}: the servlet for the server's servlet API, found in its
 * modules ({@code jakarta.servlet.api} since WildFly 27, {@code javax.servlet.api} in WildFly 26).
 */
public final class LoadApplication {

    private LoadApplication() {
    }

    public static WebArchive war() {
        Path jbossHome = Path.of(System.getProperty("jboss.home"));
        boolean jakarta = Files.isDirectory(jbossHome.resolve("modules/system/layers/base/jakarta/servlet/api"));
        return ShrinkWrap.create(WebArchive.class, "load.war")
                .addClasses(jakarta ? LoadServlet.class : JavaxLoadServlet.class, LoadThreads.class, RecordFormat.class);
    }
}

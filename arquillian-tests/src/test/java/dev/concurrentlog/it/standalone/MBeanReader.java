package dev.concurrentlog.it.standalone;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Deployed into the server by {@link LogFileMBeanIT}: answers {@code GET /load/mbean?path=<log>} with every attribute
 * of the log's {@code dev.concurrentlog:type=LogFile} MBean in the server's platform MBean server, one
 * {@code name=value} per line, or 404 if it is not registered.
 */
@WebServlet("/mbean")
public class MBeanReader extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName("dev.concurrentlog:type=LogFile,path="
                    + ObjectName.quote(request.getParameter("path")));
            if (!server.isRegistered(name)) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, name + " is not registered");
                return;
            }
            PrintWriter out = response.getWriter();
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                out.println(attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
            }
        } catch (JMException e) {
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }
}

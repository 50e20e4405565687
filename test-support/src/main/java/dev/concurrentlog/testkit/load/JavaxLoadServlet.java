package dev.concurrentlog.testkit.load;

import java.io.IOException;

import dev.concurrentlog.testkit.RecordFormat;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * {@link LoadServlet} for the Java EE 8 servlet API ({@code javax.servlet}) of WildFly 26 and older: the same request,
 * the same {@link LoadThreads}, the same answer. The deployment carries it, {@link LoadThreads} and
 * {@link RecordFormat}, nothing else.
 */
@WebServlet("/load")
public class JavaxLoadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String logged = LoadThreads.answer(request::getParameter);
        response.setContentType("text/plain");
        response.getWriter().print(logged);
    }
}

package dev.concurrentlog.testkit.load;

import java.io.IOException;

import dev.concurrentlog.testkit.RecordFormat;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Logs load: {@code GET /load?writer=NAME&threads=T&records=N[&payload=P]} logs N records from each of T threads to
 * the category {@value #CATEGORY} ({@link LoadThreads}), waits for them, and answers with the number of records
 * logged. The deployment carries it, {@link LoadThreads} and {@link RecordFormat}, nothing else.
 */
@WebServlet("/load")
public class LoadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String CATEGORY = LoadThreads.CATEGORY;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String logged = LoadThreads.answer(request::getParameter);
        response.setContentType("text/plain");
        response.getWriter().print(logged);
    }
}

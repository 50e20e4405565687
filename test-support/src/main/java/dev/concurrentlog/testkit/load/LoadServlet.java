package dev.concurrentlog.testkit.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import dev.concurrentlog.testkit.RecordFormat;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Logs load: {@code GET /load?writer=NAME&threads=T&records=N[&payload=P]} logs N records from each of T threads to
 * the category {@value #CATEGORY}, waits for them, and answers with the number of records logged. The deployment
 * carries it and {@link RecordFormat}, nothing else.
 */
@WebServlet("/load")
public class LoadServlet extends HttpServlet {

    public static final String CATEGORY = "dev.concurrentlog.load";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String writer = request.getParameter("writer");
        int threads = Integer.parseInt(request.getParameter("threads"));
        int records = Integer.parseInt(request.getParameter("records"));
        String payloadParameter = request.getParameter("payload");
        int payload = payloadParameter == null ? 60 : Integer.parseInt(payloadParameter);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int sequence = 0; sequence < records; sequence++) {
                    LOG.info(RecordFormat.record(writer, thread, sequence, payload));
                }
            }, "load-" + writer + "-" + t);
            worker.start();
            started.add(worker);
        }
        try {
            for (Thread worker : started) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(500, "interrupted");
            return;
        }
        response.setContentType("text/plain");
        response.getWriter().print((long) threads * records);
    }
}

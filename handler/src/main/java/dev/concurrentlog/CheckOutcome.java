package dev.concurrentlog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one check of the {@link StorageCheck}: PASS or FAIL, the figures behind it, and a one-line reason.
 *
 * @param name    the check's name, such as {@code lock-exclusion}
 * @param passed  whether the property held
 * @param figures what was counted or measured, in the order it is printed
 * @param reason  one line: what held, or which property broke and how
 */
record CheckOutcome(String name, boolean passed, Map<String, Object> figures, String reason) {

    static CheckOutcome pass(String name, Map<String, Object> figures, String reason) {
        return new CheckOutcome(name, true, figures, reason);
    }

    static CheckOutcome fail(String name, Map<String, Object> figures, String reason) {
        return new CheckOutcome(name, false, figures, reason);
    }

    /** Figures in a map that keeps their order. */
    static Map<String, Object> figures(Object... namesAndValues) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return figures;
    }

    /** {@code PASS name: reason}, then the figures on a line of their own. */
    String text() {
        StringBuilder line = new StringBuilder(passed ? "PASS " : "FAIL ").append(name).append(": ").append(reason);
        if (!figures.isEmpty()) {
            line.append(System.lineSeparator()).append("     ");
            figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        }
        return line.toString();
    }

    String json() {
        StringBuilder json = new StringBuilder("{\"name\":").append(quote(name)).append(",\"result\":")
                .append(quote(passed ? "PASS" : "FAIL")).append(",\"reason\":").append(quote(reason))
                .append(",\"figures\":{");
        String separator = "";
        for (Map.Entry<String, Object> figure : figures.entrySet()) {
            json.append(separator).append(quote(figure.getKey())).append(':');
            Object value = figure.getValue();
            json.append(value instanceof Number || value instanceof Boolean ? value.toString()
                    : quote(String.valueOf(value)));
            separator = ",";
        }
        return json.append("}}").toString();
    }

    /** A JSON string. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}

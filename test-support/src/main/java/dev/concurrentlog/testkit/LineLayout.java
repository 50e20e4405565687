package dev.concurrentlog.testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a record stands in a line of a log, and which lines that are not records may be there too: {@link #plain()},
 * a line is a record and nothing else; {@link #wildFlyPattern(String)}, a line as WildFly's {@code PATTERN} formatter
 * writes it, among the server's own messages.
 */
public final class LineLayout {

    /** A line of WildFly's {@code PATTERN} formatter: {@code %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n}. */
    private static final Pattern TIMESTAMPED = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*");

    private final Pattern prefix;
    private final String category;

    private LineLayout(Pattern prefix, String category) {
        this.prefix = prefix;
        this.category = category;
    }

    /** Every line is a record, nothing before it and nothing after it; there are no other lines. */
    public static LineLayout plain() {
        return new LineLayout(null, null);
    }

    /**
     * Records logged at INFO to {@code category} in a file WildFly's {@code PATTERN} formatter writes: each line
     * {@code <date> <time>,<ms> INFO  [<category>] (<thread>) <record>}. The server's own lines (time-stamped, or
     * the lines of a stack trace: a tab first, {@code Caused by}, or empty) may stand among them if they do not name
     * the category; any other line is a torn record.
     */
    public static LineLayout wildFlyPattern(String category) {
        return new LineLayout(Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\["
                + Pattern.quote(category) + "\\] \\([^)]*\\) "), category);
    }

    /** The part of {@code line} that must be a record, or null if the line does not carry one. */
    public String recordText(String line) {
        if (prefix == null) {
            return line;
        }
        Matcher matcher = prefix.matcher(line);
        return matcher.lookingAt() ? line.substring(matcher.end()) : null;
    }

    /** Whether {@code line}, which is no record, is one of the other lines that may be in the log. */
    public boolean isOtherLine(String line) {
        return category != null && !line.contains(category) && (TIMESTAMPED.matcher(line).matches()
                || line.startsWith("\t") || line.startsWith("Caused by") || line.isEmpty());
    }

    /** Whether lines other than records may be in the log at all. */
    public boolean hasOtherLines() {
        return category != null;
    }
}

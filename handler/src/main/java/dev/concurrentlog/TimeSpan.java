package dev.concurrentlog;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations: a whole number followed by a unit, {@code ms}, {@code s}, {@code m} or {@code h}
 * (case-insensitive); a bare number is milliseconds.
 */
final class TimeSpan {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");
    /** Longer than anyone waits for a log record, and far from overflowing {@code System.nanoTime()} arithmetic. */
    private static final long MAX_NANOS = TimeUnit.DAYS.toNanos(365);

    private TimeSpan() {
    }

    /**
     * @param property the property name, for the error message
     * @param text     the duration as written by the user
     * @return the duration in nanoseconds, at least one millisecond
     * @throws IllegalArgumentException naming the property and the value if the text is not a positive duration
     */
    static long parseNanos(String property, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidValue.of(property, text, "it is empty");
        }
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw InvalidValue.of(property, text, "expected a whole number followed by ms, s, m or h (a bare number is ms)");
        }
        TimeUnit unit = switch (matcher.group(2) == null ? "ms" : matcher.group(2)) {
            case "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> TimeUnit.MILLISECONDS;
        };
        long number;
        try {
            number = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw InvalidValue.of(property, text, "it is too large (at most 365 days)");
        }
        if (number == 0) {
            throw InvalidValue.of(property, text, "it must be at least 1 ms");
        }
        long nanos = unit.toNanos(number);
        if (nanos > MAX_NANOS) {
            throw InvalidValue.of(property, text, "it is too large (at most 365 days)");
        }
        return nanos;
    }
}

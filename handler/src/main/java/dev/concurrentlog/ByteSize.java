package dev.concurrentlog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes the way WildFly's logging subsystem writes them: a whole number of bytes, optionally followed by one
 * unit letter, {@code b} (bytes), {@code k}, {@code m}, {@code g} or {@code t} (powers of 1024), case-insensitive.
 */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([bkmgt]?)");

    private ByteSize() {
    }

    /**
     * @param property the property name, for the error message
     * @param text     the size as written by the user
     * @return the size in bytes, at least 1
     * @throws IllegalArgumentException naming the property and the value if the text is not a positive size
     */
    static long parse(String property, String text) {
        long bytes = parseOrZero(property, text);
        if (bytes == 0) {
            throw InvalidValue.of(property, text, "it must be at least 1 byte");
        }
        return bytes;
    }

    /** As {@link #parse}, but zero is allowed. */
    static long parseOrZero(String property, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidValue.of(property, text, "it is empty");
        }
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw InvalidValue.of(property, text, "expected a whole number of bytes, optionally followed by b, k, m, g or t");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long number;
        try {
            number = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw InvalidValue.of(property, text, "it is too large");
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw InvalidValue.of(property, text, "it is too large");
        }
        return number << shift;
    }
}

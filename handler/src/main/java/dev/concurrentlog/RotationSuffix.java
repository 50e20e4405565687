package dev.concurrentlog;

import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.WeekFields;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The {@code suffix} property, as WildFly's periodic handlers read it: a {@link SimpleDateFormat} pattern whose finest
 * field sets the rotation period, optionally ending in {@code .gz} or {@code .zip} to compress backups, in a time
 * zone. Immutable.
 * <p>
 * Periods are computed in the zone's local time: a day starts at local midnight (or at the first instant after it, where
 * daylight saving time skips midnight), a week on the first day of the JVM locale's week (as {@code w} counts weeks),
 * an hour lasts an hour of real time (so at a fall-back the local hour that repeats is two periods with one name).
 */
final class RotationSuffix {

    /** The rotation period, finest last. */
    enum Period {
        NEVER, YEAR, MONTH, WEEK, DAY, HALF_DAY, HOUR, MINUTE
    }

    /** How backups are compressed: the file name extension, or none. */
    enum Compression {
        NONE(""), GZIP(".gz"), ZIP(".zip");

        final String extension;

        Compression(String extension) {
            this.extension = extension;
        }
    }

    /** No suffix: size rotation only, uncompressed. */
    static final RotationSuffix NONE = new RotationSuffix(null, "", Period.NEVER, Compression.NONE,
            ZoneId.systemDefault());

    private final String text;
    private final String datePattern;
    private final Period period;
    private final Compression compression;
    private final ZoneId zone;
    /** The last {@link #nextPeriodStart} computed, swapped whole. */
    private volatile Boundary lastBoundary = new Boundary(Long.MIN_VALUE, Long.MIN_VALUE);

    private record Boundary(long start, long next) {
    }

    private RotationSuffix(String text, String datePattern, Period period, Compression compression, ZoneId zone) {
        this.text = text;
        this.datePattern = datePattern;
        this.period = period;
        this.compression = compression;
        this.zone = zone;
    }

    /**
     * @param property the property name, for the error message
     * @param value    the suffix as configured; null or blank means none
     * @throws IllegalArgumentException naming the property and the value if the pattern is not a valid
     *                                  {@link SimpleDateFormat} pattern or has seconds or milliseconds
     */
    static RotationSuffix parse(String property, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return NONE.withZone(zone);
        }
        String pattern = value.trim();
        Compression compression = Compression.NONE;
        for (Compression candidate : new Compression[] {Compression.GZIP, Compression.ZIP}) {
            if (pattern.endsWith(candidate.extension)) {
                compression = candidate;
                pattern = pattern.substring(0, pattern.length() - candidate.extension.length());
            }
        }
        try {
            new SimpleDateFormat(pattern);
        } catch (IllegalArgumentException e) {
            throw InvalidValue.of(property, value, "not a java.text.SimpleDateFormat pattern (" + e.getMessage() + ")",
                    e);
        }
        return new RotationSuffix(pattern.isEmpty() && compression == Compression.NONE ? null : value.trim(),
                pattern, finestPeriod(property, value, pattern), compression, zone);
    }

    /** The period of the finest date field of {@code pattern}, as jboss-logmanager reads it; quoted text is literal. */
    private static Period finestPeriod(String property, String value, String pattern) {
        Period finest = Period.NEVER;
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' (a literal quote) toggles twice
                continue;
            }
            if (quoted) {
                continue;
            }
            Period field = switch (c) {
                case 'y' -> Period.YEAR;
                case 'M' -> Period.MONTH;
                case 'w', 'W' -> Period.WEEK;
                case 'D', 'd', 'F', 'E' -> Period.DAY;
                case 'a' -> Period.HALF_DAY;
                case 'H', 'k', 'K', 'h' -> Period.HOUR;
                case 'm' -> Period.MINUTE;
                case 's', 'S' -> throw InvalidValue.of(property, value,
                        "rotating by seconds or milliseconds is not supported (as in WildFly)");
                default -> Period.NEVER;
            };
            if (field.ordinal() > finest.ordinal()) {
                finest = field;
            }
        }
        return finest;
    }

    RotationSuffix withZone(ZoneId newZone) {
        return new RotationSuffix(text, datePattern, period, compression, newZone);
    }

    /** The suffix as configured, or null if none. */
    String text() {
        return text;
    }

    ZoneId zone() {
        return zone;
    }

    Period period() {
        return period;
    }

    boolean timed() {
        return period != Period.NEVER;
    }

    Compression compression() {
        return compression;
    }

    /** The start (epoch milliseconds) of the period that contains {@code millis}; {@link Long#MIN_VALUE} if untimed. */
    long periodStart(long millis) {
        ZonedDateTime time = Instant.ofEpochMilli(millis).atZone(zone);
        LocalDate day = time.toLocalDate();
        ZonedDateTime start = switch (period) {
            case NEVER -> null;
            case MINUTE -> time.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
            case HALF_DAY -> atHour(day, time.getHour() < 12 ? 0 : 12);
            case DAY -> day.atStartOfDay(zone);
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(firstDayOfWeek())).atStartOfDay(zone);
            case MONTH -> day.withDayOfMonth(1).atStartOfDay(zone);
            case YEAR -> day.withDayOfYear(1).atStartOfDay(zone);
        };
        return start == null ? Long.MIN_VALUE : start.toInstant().toEpochMilli();
    }

    /**
     * The start of the period after the one that starts at {@code periodStart}; {@link Long#MAX_VALUE} if untimed.
     * Asked for every record written, under the lock: the last answer is kept, as the records of one period all ask
     * the same.
     */
    long nextPeriodStart(long periodStart) {
        Boundary known = lastBoundary;
        if (known.start() == periodStart) {
            return known.next();
        }
        long next = computeNextPeriodStart(periodStart);
        lastBoundary = new Boundary(periodStart, next);
        return next;
    }

    private long computeNextPeriodStart(long periodStart) {
        ZonedDateTime start = Instant.ofEpochMilli(periodStart).atZone(zone);
        LocalDate day = start.toLocalDate();
        ZonedDateTime next = switch (period) {
            case NEVER -> null;
            case MINUTE -> start.plusMinutes(1); // instant arithmetic: an hour that repeats is two periods
            case HOUR -> start.plusHours(1);
            case HALF_DAY -> start.getHour() < 12 ? atHour(day, 12) : day.plusDays(1).atStartOfDay(zone);
            case DAY -> day.plusDays(1).atStartOfDay(zone);
            case WEEK -> day.plusWeeks(1).atStartOfDay(zone);
            case MONTH -> day.plusMonths(1).atStartOfDay(zone);
            case YEAR -> day.plusYears(1).atStartOfDay(zone);
        };
        if (next == null) {
            return Long.MAX_VALUE;
        }
        long nextStart = periodStart(next.toInstant().toEpochMilli());
        return nextStart > periodStart ? nextStart : next.toInstant().toEpochMilli();
    }

    /** The start of the period before the one that starts at {@code periodStart}. */
    long previousPeriodStart(long periodStart) {
        return periodStart(periodStart - 1);
    }

    /** The date part of a backup name for the period that starts at {@code periodStart}, e.g. {@code .2026-11-25}. */
    String dateText(long periodStart) {
        if (datePattern.isEmpty()) {
            return ""; // no formatter: its first use in a JVM loads locale data, which costs tens of milliseconds
        }
        return format().format(new Date(periodStart));
    }

    /** Whether {@code text} is what {@link #dateText} gives for some time: it reads back to itself. */
    boolean isDateText(String candidate) {
        return parseDateText(candidate) != null;
    }

    /**
     * The start of the period a backup's date part names, if the suffix has a year (so that a name means one
     * period, not one in every week or year); null if it has none or {@code candidate} is no date text.
     */
    Long periodNamed(String candidate) {
        if (!hasYear()) {
            return null;
        }
        Date date = parseDateText(candidate);
        return date == null ? null : periodStart(date.getTime());
    }

    private Date parseDateText(String candidate) {
        SimpleDateFormat format = format();
        format.setLenient(false);
        ParsePosition position = new ParsePosition(0);
        Date date = format.parse(candidate, position);
        return date != null && position.getIndex() == candidate.length() && format.format(date).equals(candidate)
                ? date : null;
    }

    /**
     * Whether a backup name means one period (the suffix has a year), not one in every week or year: a backup of that
     * name is never replaced by a later one.
     */
    boolean namesOnePeriod() {
        return hasYear();
    }

    /** Whether the date pattern has a year field ({@code y}), outside quotes. */
    private boolean hasYear() {
        boolean quoted = false;
        for (int i = 0; i < datePattern.length(); i++) {
            char c = datePattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == 'y') {
                return true;
            }
        }
        return false;
    }

    private SimpleDateFormat format() {
        SimpleDateFormat format = new SimpleDateFormat(datePattern, Locale.getDefault(Locale.Category.FORMAT));
        format.setTimeZone(TimeZone.getTimeZone(zone));
        return format;
    }

    private ZonedDateTime atHour(LocalDate day, int hour) {
        return ZonedDateTime.of(day.atTime(hour, 0), zone); // in a gap, the first instant after it
    }

    private static DayOfWeek firstDayOfWeek() {
        return WeekFields.of(Locale.getDefault(Locale.Category.FORMAT)).getFirstDayOfWeek();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RotationSuffix that && java.util.Objects.equals(text, that.text)
                && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(text, zone);
    }
}

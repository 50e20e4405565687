package dev.concurrentlog;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Periods and names of a suffix, computed in its time zone, across daylight saving time changes. */
class RotationSuffixTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(quoteCharacter = '"', value = {
            ".yyyy-MM-dd, DAY", ".yyyy-MM-dd-HH, HOUR", ".yyyy-MM-dd-HH-mm, MINUTE", ".yyyy-ww, WEEK", ".yyyy-W, WEEK",
            ".yyyy-MM, MONTH", ".yyyy, YEAR", ".yyyy-MM-dd-a, HALF_DAY", ".EEE, DAY", ".D, DAY", ".F, DAY",
            ".kk, HOUR", ".KK, HOUR", ".hh, HOUR", "'.HHmm', NEVER", ".yyyy'T'HH, HOUR", "'.x''s'yyyy, YEAR",
            ".yyyy-MM-dd.gz, DAY", ".yyyy-MM-dd.zip, DAY", ".gz, NEVER", ".zzz, NEVER"})
    void finestFieldSetsThePeriod(String suffix, RotationSuffix.Period period) {
        assertEquals(period, RotationSuffix.parse("suffix", suffix, BERLIN).period());
    }

    @Test
    void aTrailingGzOrZipCompressesAndIsNotPartOfTheDate() {
        RotationSuffix gz = RotationSuffix.parse("suffix", ".yyyy-MM-dd.gz", ZoneId.of("UTC"));
        assertEquals(RotationSuffix.Compression.GZIP, gz.compression());
        assertEquals(".2026-11-25", gz.dateText(millis("2026-11-25T13:00:00Z")));
        assertEquals(RotationSuffix.Compression.ZIP,
                RotationSuffix.parse("suffix", ".yyyy-MM-dd.zip", BERLIN).compression());
        RotationSuffix sizeOnly = RotationSuffix.parse("suffix", ".gz", BERLIN);
        assertEquals(RotationSuffix.Compression.GZIP, sizeOnly.compression());
        assertEquals("", sizeOnly.dateText(0));
        assertFalse(sizeOnly.timed());
        assertEquals(RotationSuffix.Compression.NONE, RotationSuffix.parse("suffix", "", BERLIN).compression());
        assertNull(RotationSuffix.parse("suffix", " ", BERLIN).text());
    }

    @Test
    void dailyPeriodsStartAtLocalMidnight() {
        RotationSuffix daily = RotationSuffix.parse("suffix", ".yyyy-MM-dd", BERLIN);
        long start = daily.periodStart(millis("2026-11-25T22:30:00Z")); // 23:30 in Berlin
        assertEquals(millis("2026-11-24T23:00:00Z"), start);
        assertEquals(millis("2026-11-25T23:00:00Z"), daily.nextPeriodStart(start));
        assertEquals(".2026-11-25", daily.dateText(start));
    }

    // the periods and names alone; TimeRotationTest.hourlyAcrossTheFallBackInBerlin...: the files the handler writes
    @Test
    void hourlyAcrossTheFallBackInBerlinIsTwoPeriodsWithOneName() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; the local hour 02 happens twice
        RotationSuffix hourly = RotationSuffix.parse("suffix", ".yyyy-MM-dd-HH", BERLIN);
        long first = hourly.periodStart(millis("2026-10-25T00:30:00Z")); // 02:30 CEST
        long second = hourly.nextPeriodStart(first);
        assertEquals(millis("2026-10-25T00:00:00Z"), first);
        assertEquals(millis("2026-10-25T01:00:00Z"), second); // 02:00 CET
        assertEquals(".2026-10-25-02", hourly.dateText(first));
        assertEquals(".2026-10-25-02", hourly.dateText(second));
        assertEquals(second, hourly.periodStart(millis("2026-10-25T01:59:59Z")));
        assertEquals(millis("2026-10-25T02:00:00Z"), hourly.nextPeriodStart(second)); // 03:00 CET
        assertEquals(first, hourly.previousPeriodStart(second));
    }

    // the periods and names alone; TimeRotationTest.hourlyAcrossTheSpringForwardInBerlin: the files the handler writes
    @Test
    void hourlyAcrossTheSpringForwardInBerlinSkipsTheMissingHour() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST
        RotationSuffix hourly = RotationSuffix.parse("suffix", ".yyyy-MM-dd-HH", BERLIN);
        long one = hourly.periodStart(millis("2026-03-29T00:59:00Z")); // 01:59 CET
        long next = hourly.nextPeriodStart(one);
        assertEquals(millis("2026-03-29T01:00:00Z"), next);
        assertEquals(".2026-03-29-03", hourly.dateText(next));
    }

    @Test
    void dailyAcrossTheFallBackAndSpringForwardInBerlinLastsTwentyFiveAndTwentyThreeHours() {
        RotationSuffix daily = RotationSuffix.parse("suffix", ".yyyy-MM-dd", BERLIN);
        long fallBack = daily.periodStart(millis("2026-10-25T12:00:00Z"));
        assertEquals(25 * 3_600_000L, daily.nextPeriodStart(fallBack) - fallBack);
        long springForward = daily.periodStart(millis("2026-03-29T12:00:00Z"));
        assertEquals(23 * 3_600_000L, daily.nextPeriodStart(springForward) - springForward);
    }

    @Test
    void dailyInSaoPauloWhereDaylightSavingTimeChangesAtMidnight() {
        RotationSuffix daily = RotationSuffix.parse("suffix", ".yyyy-MM-dd", SAO_PAULO);
        // 2018-11-04: midnight did not exist, the day began at 01:00 -02:00
        long springDay = daily.periodStart(millis("2018-11-04T12:00:00Z"));
        assertEquals(millis("2018-11-04T03:00:00Z"), springDay);
        assertEquals(".2018-11-04", daily.dateText(springDay));
        long dayBefore = daily.previousPeriodStart(springDay);
        assertEquals(".2018-11-03", daily.dateText(dayBefore));
        assertEquals(springDay, daily.nextPeriodStart(dayBefore));
        // 2019-02-17: at midnight (-02:00) clocks went back to 23:00 (-03:00) of the 16th: the 16th lasted 25 hours
        long longDay = daily.periodStart(millis("2019-02-16T12:00:00Z"));
        assertEquals(".2019-02-16", daily.dateText(longDay));
        long next = daily.nextPeriodStart(longDay);
        assertEquals(millis("2019-02-17T03:00:00Z"), next);
        assertEquals(".2019-02-17", daily.dateText(next));
        assertEquals(25 * 3_600_000L, next - longDay);
    }

    @Test
    void weeksStartOnTheFirstDayOfTheLocalesWeekAsTheWeekNumberDoes() {
        RotationSuffix weekly = RotationSuffix.parse("suffix", ".yyyy-ww", ZoneId.of("UTC"));
        long start = weekly.periodStart(millis("2026-11-26T10:00:00Z"));
        long next = weekly.nextPeriodStart(start);
        assertEquals(7 * 86_400_000L, next - start);
        // every instant of the week has the week's name, and the next week another
        for (long t = start; t < next; t += 3_600_000L) {
            assertEquals(weekly.dateText(start), weekly.dateText(t));
        }
        assertFalse(weekly.dateText(start).equals(weekly.dateText(next)));
        assertFalse(weekly.dateText(start).equals(weekly.dateText(start - 1)));
    }

    @Test
    void monthsHalfDaysAndMinutes() {
        RotationSuffix monthly = RotationSuffix.parse("suffix", ".yyyy-MM", BERLIN);
        long february = monthly.periodStart(millis("2026-02-14T12:00:00Z"));
        assertEquals(millis("2026-01-31T23:00:00Z"), february);
        assertEquals(millis("2026-02-28T23:00:00Z"), monthly.nextPeriodStart(february));
        RotationSuffix halfDays = RotationSuffix.parse("suffix", ".yyyy-MM-dd-a", ZoneId.of("UTC"));
        long afternoon = halfDays.periodStart(millis("2026-11-26T15:00:00Z"));
        assertEquals(millis("2026-11-26T12:00:00Z"), afternoon);
        assertEquals(millis("2026-11-27T00:00:00Z"), halfDays.nextPeriodStart(afternoon));
        RotationSuffix minutes = RotationSuffix.parse("suffix", ".HH-mm", ZoneId.of("UTC"));
        assertEquals(millis("2026-11-26T15:01:00Z"), minutes.nextPeriodStart(millis("2026-11-26T15:00:00Z")));
    }

    @Test
    void backupDatesAreRecognisedAndNameTheirPeriodOnlyWithAYear() {
        RotationSuffix daily = RotationSuffix.parse("suffix", ".yyyy-MM-dd", BERLIN);
        assertTrue(daily.isDateText(".2026-11-25"));
        assertFalse(daily.isDateText(".2026-11-25.1"));
        assertFalse(daily.isDateText(".2026-13-25"));
        assertFalse(daily.isDateText(""));
        assertEquals(millis("2026-11-24T23:00:00Z"), daily.periodNamed(".2026-11-25"));
        RotationSuffix cyclic = RotationSuffix.parse("suffix", ".EEE", BERLIN);
        assertTrue(cyclic.isDateText(cyclic.dateText(millis("2026-11-25T12:00:00Z"))));
        assertNull(cyclic.periodNamed(cyclic.dateText(millis("2026-11-25T12:00:00Z"))));
        assertTrue(RotationSuffix.parse("suffix", "", BERLIN).isDateText(""));
    }

    @Test
    void theZoneCanBeChangedAfterTheSuffix() {
        RotationSuffix utc = RotationSuffix.parse("suffix", ".yyyy-MM-dd", ZoneId.of("UTC"));
        RotationSuffix berlin = utc.withZone(BERLIN);
        assertEquals(".yyyy-MM-dd", berlin.text());
        assertEquals(millis("2026-11-24T23:00:00Z"), berlin.periodStart(millis("2026-11-25T12:00:00Z")));
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}

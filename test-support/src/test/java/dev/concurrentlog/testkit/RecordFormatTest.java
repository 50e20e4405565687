package dev.concurrentlog.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFormatTest {

    /** The format as a regular expression, as the checks before the kit matched it. */
    private static final Pattern LINE = Pattern.compile("(W(\\S+) T(\\d+) S(\\d+) \\S*) C([0-9a-f]{8})");

    /** The record as the tests made it before the kit: a letter at a time, the CRC by String.format. */
    private static String slowRecord(String writer, int thread, long sequence, int payloadLength) {
        StringBuilder body = new StringBuilder()
                .append('W').append(writer).append(" T").append(thread).append(" S").append(sequence).append(' ');
        for (int i = 0; i < payloadLength; i++) {
            body.append((char) ('a' + (int) ((sequence * 31 + i) % 26)));
        }
        return body + " C" + hexCrc(body.toString());
    }

    private static String hexCrc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void recordsAreTheSameTextAsBeforeForEveryPayloadLength() {
        for (int payload : new int[] {0, 1, 25, 26, 40, 60, 140, 233, 234, 235, 1000}) {
            for (long sequence : new long[] {0, 1, 25, 26, 27, 999_999, 12_345_678_901L}) {
                assertEquals(slowRecord("p0", 3, sequence, payload), RecordFormat.record("p0", 3, sequence, payload));
            }
        }
        assertEquals("Wp0 T1 S2 klmnopqrst C" + hexCrc("Wp0 T1 S2 klmnopqrst"), RecordFormat.record("p0", 1, 2, 10));
    }

    @Test
    void parseReadsWhatRecordMade() {
        String record = RecordFormat.record("server-one", 12, 345, 60);
        RecordFormat.Fields fields = RecordFormat.parse(record);
        assertEquals(new RecordFormat.Fields("server-one", "server-one T12", 345,
                record.substring("Wserver-one T12 S345 ".length(), record.length() - " C01234567".length()), true),
                fields);
        assertEquals(60, fields.payload().length());
        assertEquals(-1, fields.time());

        RecordFormat.Fields timed = RecordFormat.parse(RecordFormat.timedRecord("w", 0, 7, 1_764_000_000_123L));
        assertTrue(timed.intact());
        assertEquals(1_764_000_000_123L, timed.time());
        assertTrue(RecordFormat.parse(RecordFormat.record("w", 0, 0, 0)).intact(), "an empty payload");
    }

    @Test
    void aRecordCutShortOrChangedOrMergedIsNoIntactRecord() {
        String record = RecordFormat.record("w", 0, 5, 40);
        for (int cut = 0; cut < record.length(); cut++) {
            RecordFormat.Fields fields = RecordFormat.parse(record.substring(0, cut));
            assertTrue(fields == null || !fields.intact(), "cut at " + cut);
        }
        assertFalse(RecordFormat.parse(record.replace("S5 ", "S6 ")).intact(), "another sequence");
        assertFalse(RecordFormat.parse(record.substring(0, 20) + "x" + record.substring(21)).intact(), "payload");
        assertNull(RecordFormat.parse(record.substring(0, 30) + RecordFormat.record("v", 1, 0, 40)), "merged");
        assertNull(RecordFormat.parse(record + "\r"), "a character after the CRC");
        assertNull(RecordFormat.parse(record.toUpperCase()));
    }

    /** The parser says what the regular expression said, on records and on records changed at random. */
    @Test
    void parseAgreesWithTheRegularExpressionOnMangledLines() {
        Random random = new Random(42);
        String alphabet = "WTSC 0123456789abcdefxyz\t@-";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder(RecordFormat.record(random.nextBoolean() ? "p" + random.nextInt(10)
                    : "w-x", random.nextInt(20), random.nextInt(1000), random.nextInt(8)));
            for (int change = random.nextInt(3); change > 0; change--) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(3)) {
                    case 0 -> line.deleteCharAt(at);
                    case 1 -> line.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> line.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = line.toString();
            Matcher matcher = LINE.matcher(text);
            boolean regexIntact = matcher.matches() && hexCrc(matcher.group(1)).equals(matcher.group(5));
            RecordFormat.Fields fields = RecordFormat.parse(text);
            assertEquals(matcher.matches(), fields != null, text);
            assertEquals(regexIntact, fields != null && fields.intact(), text);
            if (fields != null) {
                assertEquals(matcher.group(2), fields.writer(), text);
                assertEquals(matcher.group(2) + " T" + matcher.group(3), fields.key(), text);
                assertEquals(Long.parseLong(matcher.group(4)), fields.sequence(), text);
            }
        }
    }
}

package dev.concurrentlog.testkit;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The test record: one line, {@code W<writer> T<thread> S<seq> <payload> C<crc>}, where the CRC32 (eight lower-case hex
 * digits) covers the UTF-8 bytes of everything before {@code " C"}. A record torn, merged with another or cut short
 * fails its CRC wherever it lands; the writer, thread and sequence tell which record it is and where it belongs.
 * <p>
 * The payload of {@link #record} is letters of the alphabet, in order, from {@code 31 x seq mod 26}: made by copying,
 * not computed a letter at a time, so that a writer can make records at a tenth of a microsecond or so (the
 * benchmarks make one per publish). {@link #timedRecord} carries the time it was made instead.
 * <p>
 * Self-contained (only the JDK), so that a deployment can carry this class alone.
 */
public final class RecordFormat {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    /** The alphabet repeated: a payload of up to {@code LETTERS.length() - 26} letters is one copy from it. */
    private static final String LETTERS = ALPHABET.repeat(10);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RecordFormat() {
    }

    /** A record with {@code payloadLength} letters of payload. */
    public static String record(String writer, int thread, long sequence, int payloadLength) {
        StringBuilder text = head(writer, thread, sequence, payloadLength);
        int from = (int) (sequence * 31 % 26);
        for (int left = payloadLength; left > 0; ) {
            int letters = Math.min(left, LETTERS.length() - 26);
            text.append(LETTERS, from, from + letters);
            left -= letters;
            from = (from + letters) % 26;
        }
        return seal(text);
    }

    /**
     * A record whose payload is {@code @<time>}: the epoch milliseconds just before it was logged, so the file it is
     * found in can be checked against its period ({@link Fields#time()}).
     */
    public static String timedRecord(String writer, int thread, long sequence, long time) {
        return seal(head(writer, thread, sequence, 20).append('@').append(time));
    }

    private static StringBuilder head(String writer, int thread, long sequence, int payloadLength) {
        return new StringBuilder(writer.length() + 40 + payloadLength)
                .append('W').append(writer).append(" T").append(thread).append(" S").append(sequence).append(' ');
    }

    /** Appends {@code " C"} and the CRC of what is there. */
    private static String seal(StringBuilder body) {
        long crc = crc(body);
        body.append(" C");
        for (int shift = 28; shift >= 0; shift -= 4) {
            body.append(HEX[(int) (crc >>> shift) & 0xf]);
        }
        return body.toString();
    }

    /** The CRC32 of the UTF-8 bytes of {@code text}. */
    public static long crc(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * What a line that has the shape of a record says. {@code key} is {@code "<writer> T<thread>"}, the unit whose
     * records must appear once each and in order; {@code intact} whether the CRC matches.
     */
    public record Fields(String writer, String key, long sequence, String payload, boolean intact) {

        /** The time a {@link #timedRecord} carries, or -1 if this is not one. */
        public long time() {
            return payload.startsWith("@") ? Long.parseLong(payload.substring(1)) : -1;
        }
    }

    /**
     * The fields of {@code line} if all of it has the shape of a record, {@code W<writer> T<digits> S<digits>
     * <payload> C<8 lower-case hex digits>} (writer and payload without white space, the payload possibly empty),
     * whether or not its CRC matches; otherwise null.
     */
    public static Fields parse(String line) {
        int length = line.length();
        if (length == 0 || line.charAt(0) != 'W') {
            return null;
        }
        int writerEnd = line.indexOf(' ', 1);
        if (writerEnd <= 1 || hasWhiteSpace(line, 1, writerEnd)) {
            return null;
        }
        int threadEnd = digits(line, writerEnd, 'T');
        if (threadEnd < 0) {
            return null;
        }
        int sequenceEnd = digits(line, threadEnd, 'S');
        if (sequenceEnd < 0 || sequenceEnd - threadEnd - 2 > 18) {
            return null;
        }
        int payloadEnd = line.indexOf(' ', sequenceEnd + 1);
        if (payloadEnd < 0 || hasWhiteSpace(line, sequenceEnd + 1, payloadEnd) || length != payloadEnd + 10
                || line.charAt(payloadEnd + 1) != 'C') {
            return null;
        }
        long written = 0;
        for (int i = payloadEnd + 2; i < length; i++) {
            char c = line.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return null;
            }
            written = written << 4 | digit;
        }
        return new Fields(line.substring(1, writerEnd), line.substring(1, threadEnd),
                Long.parseLong(line, threadEnd + 2, sequenceEnd, 10), line.substring(sequenceEnd + 1, payloadEnd),
                written == crc(line.subSequence(0, payloadEnd)));
    }

    /**
     * Where {@code " <letter><digits>"} that starts at {@code space} ends (the index of the space after it), or -1 if
     * there is no such field followed by a space.
     */
    private static int digits(String line, int space, char letter) {
        if (space + 2 >= line.length() || line.charAt(space) != ' ' || line.charAt(space + 1) != letter) {
            return -1;
        }
        int i = space + 2;
        while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        return i == space + 2 || i == line.length() || line.charAt(i) != ' ' ? -1 : i;
    }

    /** Whether {@code line} has a white space character ({@code \s} of a regular expression) in [from, to). */
    private static boolean hasWhiteSpace(String line, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}

package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordEncoderTest {

    private final RecordEncoder encoder = new RecordEncoder();

    @Test
    void recordsOfABatchLieOneAfterTheOtherEachInItsCharset() throws CharacterCodingException {
        List<PendingRecord> batch = List.of(
                record("caf\u00e9 \u20ac \uD83D\uDE00\n", StandardCharsets.UTF_8),
                record("caf\u00e9\n", StandardCharsets.ISO_8859_1),
                record("plain\n", StandardCharsets.UTF_8));
        for (PendingRecord next : batch) {
            encoder.encode(next);
        }
        int expectedStart = 0;
        for (PendingRecord next : batch) {
            assertEquals(expectedStart, next.encodedStart);
            assertArrayEquals(next.text.getBytes(next.charset), encodedBytes(next));
            expectedStart += next.encodedLength;
        }
    }

    @Test
    void unencodableCharactersBecomeTheReplacementAsGetBytesDoes() throws CharacterCodingException {
        for (String text : List.of("price \u20ac\n", "lone surrogate \uD800 here\n", "\uDC00")) {
            for (Charset charset : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII,
                    StandardCharsets.UTF_8)) {
                PendingRecord next = record(text, charset);
                encoder.encode(next);
                assertArrayEquals(text.getBytes(charset), encodedBytes(next), charset + ": " + text);
                encoder.clear();
            }
        }
    }

    @Test
    void batchesAndRecordsLargerThanTheAreaGrowItAndTheNextBatchStartsAtZero() throws CharacterCodingException {
        char[] large = new char[3 * 1024 * 1024];
        Arrays.fill(large, '\u00e9'); // two bytes each in UTF-8: 6 MiB, past the kept limit
        List<PendingRecord> batch = new ArrayList<>();
        batch.add(record("first\n", StandardCharsets.UTF_8));
        batch.add(record(new String(large), StandardCharsets.UTF_8));
        for (int i = 0; i < 2000; i++) {
            batch.add(record("record " + i + " of a batch larger than the first area\n", StandardCharsets.UTF_8));
        }
        for (PendingRecord next : batch) {
            encoder.encode(next);
        }
        for (PendingRecord next : batch) {
            assertArrayEquals(next.text.getBytes(next.charset), encodedBytes(next));
        }
        encoder.clear();
        PendingRecord after = record("after\n", StandardCharsets.UTF_8);
        encoder.encode(after);
        assertEquals(0, after.encodedStart);
        assertArrayEquals("after\n".getBytes(StandardCharsets.UTF_8), encodedBytes(after));
    }

    private byte[] encodedBytes(PendingRecord record) {
        return Arrays.copyOfRange(encoder.bytes(), record.encodedStart, record.encodedStart + record.encodedLength);
    }

    private static PendingRecord record(String text, Charset charset) {
        return PendingRecord.buffered(text, charset, new WritePolicy(1024, 1, FileCreator.DEFAULT, 0, RotationSuffix.NONE, 0),
                0, (message, exception, code) -> {
                    throw new AssertionError(message, exception);
                });
    }
}

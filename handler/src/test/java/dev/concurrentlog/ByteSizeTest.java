package dev.concurrentlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
            "1, 1",
            "4096, 4096",
            "12b, 12",
            "512k, 524288",
            "512K, 524288",
            "10m, 10485760",
            "10M, 10485760",
            "1g, 1073741824",
            "2t, 2199023255552",
            "' 7m ', 7340032",
    })
    void parsesWildFlySizes(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse("rotateSize", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "10x", "", " ", "0", "0k", "1.5m", "m", "10mb", "k10", "99999999999999999999",
            "9999999999t"})
    void refusesNonsenseNamingPropertyAndValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteSize.parse("rotateSize", text));
        assertTrue(e.getMessage().contains("\"rotateSize\"") && e.getMessage().contains("\"" + text + "\""),
                e.getMessage());
    }

    @Test
    void refusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteSize.parse("rotateSize", null));
        assertTrue(e.getMessage().contains("rotateSize"), e.getMessage());
    }
}

package dev.concurrentlog.it.app;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The text of a test record: {@code W<writer> T<thread> S<seq> <payload> C<crc>}, where the CRC covers everything
 * before it, so a torn or merged record is recognised wherever it lands.
 */
public final class RecordText {

    private RecordText() {
    }

    public static String of(String writer, int thread, long sequence, int payloadLength) {
        StringBuilder body = new StringBuilder(64 + payloadLength)
                .append('W').append(writer).append(" T").append(thread).append(" S").append(sequence).append(' ');
        for (int i = 0; i < payloadLength; i++) {
            body.append((char) ('a' + (int) ((sequence * 31 + i) % 26)));
        }
        return body + " C" + crc(body.toString());
    }

    public static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}

package dev.concurrentlog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the texts of one batch into bytes, each in its record's character set, one after the other in a reused area,
 * so that a record costs no allocation beyond its formatting. Characters a character set cannot encode become its
 * replacement, as {@link String#getBytes(Charset)} does. Used only by the thread that holds the in-JVM lock.
 */
final class RecordEncoder {

    /** Areas larger than this, grown for a large batch or record, are dropped once the batch is written. */
    private static final int KEPT_LIMIT = 1024 * 1024;
    private static final int INITIAL_BYTES = 16 * 1024;
    private static final int INITIAL_CHARS = 1024;
    /** Longer texts are encoded straight from the string (more slowly) rather than copied into a char array. */
    private static final int MAX_COPIED_CHARS = 256 * 1024;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private ByteBuffer byteView = ByteBuffer.wrap(bytes);
    private int used;
    private char[] chars = new char[INITIAL_CHARS];
    private CharBuffer charView = CharBuffer.wrap(chars);
    private final Map<Charset, CharsetEncoder> encoders = new HashMap<>(2);
    private Charset lastCharset;
    private CharsetEncoder lastEncoder;

    /**
     * Appends the bytes of {@code record}'s text to the batch and sets its {@link PendingRecord#encodedStart} and
     * {@link PendingRecord#encodedLength}.
     *
     * @throws CharacterCodingException if the character set fails in a way replacement does not cover
     */
    void encode(PendingRecord record) throws CharacterCodingException {
        String text = record.text;
        int length = text.length();
        CharBuffer source;
        if (length <= MAX_COPIED_CHARS) {
            if (chars.length < length) {
                chars = new char[Math.max(length, Math.min(MAX_COPIED_CHARS, 2 * chars.length))];
                charView = CharBuffer.wrap(chars);
            }
            text.getChars(0, length, chars, 0);
            source = charView.clear().limit(length);
        } else {
            source = CharBuffer.wrap(text);
        }
        byteView.clear().position(used);
        CharsetEncoder encoder = encoder(record.charset).reset();
        int start = used;
        CoderResult result;
        while ((result = encoder.encode(source, byteView, true)).isOverflow()) {
            grow(byteView.position(), (long) (source.remaining() * (double) encoder.averageBytesPerChar()) + 16);
        }
        while (!result.isError() && (result = encoder.flush(byteView)).isOverflow()) {
            grow(byteView.position(), 16);
        }
        if (result.isError()) {
            result.throwException();
        }
        used = byteView.position();
        record.encodedStart = start;
        record.encodedLength = used - start;
    }

    /** The bytes of the batch; a record's are at its {@link PendingRecord#encodedStart}. */
    byte[] bytes() {
        return bytes;
    }

    /** Starts the next batch; drops an area grown past the kept size. */
    void clear() {
        used = 0;
        if (bytes.length > KEPT_LIMIT) {
            bytes = new byte[INITIAL_BYTES];
            byteView = ByteBuffer.wrap(bytes);
        }
    }

    /** Makes room for at least {@code moreBytes} more bytes after {@code position}. */
    private void grow(int position, long moreBytes) {
        long wanted = Math.max(2L * bytes.length, position + moreBytes);
        if (wanted > Integer.MAX_VALUE - 16) {
            wanted = Integer.MAX_VALUE - 16;
            if (wanted <= bytes.length) {
                throw new OutOfMemoryError("Batch of records too large to encode: " + position + " bytes");
            }
        }
        byte[] larger = new byte[(int) wanted];
        System.arraycopy(bytes, 0, larger, 0, position);
        bytes = larger;
        byteView = ByteBuffer.wrap(bytes);
        byteView.position(position);
    }

    private CharsetEncoder encoder(Charset charset) {
        if (charset != lastCharset) {
            lastEncoder = encoders.computeIfAbsent(charset, cs -> cs.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE));
            lastCharset = charset;
        }
        return lastEncoder;
    }
}

package dev.genfleet.gateway.campaign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads NDJSON lines from a stream one at a time, each at most {@code maxBytes}, so an upload of any
 * length is processed in constant memory. A line that is too long or not UTF-8 is reported, not thrown.
 */
public final class BoundedLines {

    /** One line: text, or why it could not be read. {@code number} counts from 1. */
    public record Line(long number, String text, String problem) {}

    private final InputStream in;
    private final int maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private long number;
    private boolean eof;

    public BoundedLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next non-blank line, or null at the end. */
    public Line next() throws IOException {
        while (!eof) {
            buffer.reset();
            boolean tooLong = false;
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (buffer.size() < maxBytes) {
                    buffer.write(b);
                } else {
                    tooLong = true;
                }
            }
            if (b == -1) {
                eof = true;
            }
            if (buffer.size() == 0 && !tooLong) {
                if (!eof) {
                    number++;
                }
                continue;
            }
            number++;
            if (tooLong) {
                return new Line(number, null, "line longer than " + maxBytes + " bytes");
            }
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buffer.toByteArray()))
                        .toString();
                if (text.isBlank()) {
                    continue;
                }
                return new Line(number, text, null);
            } catch (CharacterCodingException e) {
                return new Line(number, null, "line is not valid UTF-8");
            }
        }
        return null;
    }
}

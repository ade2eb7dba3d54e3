package dev.parley.openai.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental Server-Sent Events decoder: bytes in, event data out. Lines end with LF, CRLF or CR
 * (also when a CRLF pair is split across buffers); {@code data:} lines of one event are joined with
 * LF; comment lines ({@code :}) and other fields are ignored; a blank line ends an event. Text is
 * decoded per complete line, so a UTF-8 character split across buffers is never broken.
 * Not thread-safe.
 */
public final class SseDecoder {
    private byte[] line = new byte[256];
    private int length;
    private boolean afterCr;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Consumes {@code buffer} and returns the data of every event it completed, in order. */
    public List<String> feed(ByteBuffer buffer) {
        List<String> events = new ArrayList<>(2);
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endLine(events);
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, length * 2);
                }
                line[length++] = b;
            }
        }
        return events;
    }

    /**
     * At the end of the body: the data of an event the server did not terminate with a blank line
     * (lenient: some servers end with {@code data: [DONE]} and no blank line), or nothing.
     */
    public List<String> end() {
        List<String> events = new ArrayList<>(1);
        if (length > 0) {
            endLine(events);
        }
        if (hasData) {
            events.add(data.toString());
            data.setLength(0);
            hasData = false;
        }
        return events;
    }

    private void endLine(List<String> events) {
        if (length == 0) {
            if (hasData) {
                events.add(data.toString());
                data.setLength(0);
                hasData = false;
            }
            return;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        length = 0;
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        if (!field.equals("data")) {
            return;
        }
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
    }
}

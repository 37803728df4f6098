package dev.cdp.ingestion.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a byte stream, fed in chunks of any size, into lines (LF or CRLF), holding at most one line in memory. For
 * CSV it keeps line breaks inside double-quoted fields as part of the record. A line longer than the limit is
 * reported, not held.
 */
final class LineSplitter {

    /** Receives each line with the number of the physical line it starts on. */
    interface Lines {
        void line(long number, String text);

        void tooLong(long number);
    }

    private final boolean csv;
    private final int maxLineBytes;
    private final Lines lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private long physicalLine = 1;
    private long recordStart = 1;
    private boolean inQuotes;
    private boolean overflowed;
    private boolean first = true;

    LineSplitter(boolean csv, int maxLineBytes, Lines lines) {
        this.csv = csv;
        this.maxLineBytes = maxLineBytes;
        this.lines = lines;
    }

    void feed(byte[] chunk) {
        int from = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (csv && b == '"') {
                inQuotes = !inQuotes;
            } else if (b == '\n') {
                physicalLine++;
                if (!inQuotes) {
                    append(chunk, from, i - from);
                    emit();
                    from = i + 1;
                }
            }
        }
        append(chunk, from, chunk.length - from);
    }

    /** The end of the stream: a last line without a line break is still a line. */
    void finish() {
        if (current.size() > 0 || overflowed) {
            emit();
        }
    }

    private void append(byte[] chunk, int from, int length) {
        if (overflowed || length == 0) {
            return;
        }
        if (current.size() + length > maxLineBytes) {
            overflowed = true;
            inQuotes = false; // an unclosed quote must not swallow the rest of the file: the next line break ends it
            current.reset();
            return;
        }
        current.write(chunk, from, length);
    }

    private void emit() {
        if (overflowed) {
            lines.tooLong(recordStart);
        } else {
            byte[] bytes = current.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            int offset = first && length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
            lines.line(recordStart, new String(bytes, offset, length - offset, StandardCharsets.UTF_8));
        }
        first = false;
        overflowed = false;
        inQuotes = false;
        current.reset();
        recordStart = physicalLine;
    }
}

package dev.cdp.export.file;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Platform;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A platform's rows as an RFC 4180 file in UTF-8: the header once, then one line per usable member. Rows are gathered
 * as bytes and written 64 KB at a time: a character writer's copying and encoding of every hash cost a sixth of an
 * export's row work.
 */
final class CsvAudienceWriter implements AudienceFileWriter {

    private static final byte[] COMMA = {','};
    private static final byte[] LINE_END = Csv.LINE_END.getBytes(StandardCharsets.US_ASCII);

    private final AudienceRows rows;
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int buffered;
    private boolean headerWritten;

    CsvAudienceWriter(AudienceRows rows, OutputStream out) {
        this.rows = rows;
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public Platform platform() {
        return rows.platform();
    }

    @Override
    public List<String> header() {
        return rows.header();
    }

    @Override
    public void writeHeader() throws IOException {
        if (headerWritten) {
            throw new IllegalStateException("the header row is already written");
        }
        writeRow(rows.header().toArray(new String[0]));
        headerWritten = true;
    }

    @Override
    public RowOutcome write(AudienceMember member) throws IOException {
        if (!headerWritten) {
            throw new IllegalStateException("write the header row first");
        }
        String[] cells = rows.row(member);
        if (cells == null) {
            return RowOutcome.SKIPPED_NO_IDENTIFIER;
        }
        writeRow(cells);
        return RowOutcome.WRITTEN;
    }

    @Override
    public Coverage coverage() {
        return rows.coverage();
    }

    @Override
    public void flush() throws IOException {
        out.write(buffer, 0, buffered);
        buffered = 0;
        out.flush();
    }

    /** One row of any cells, each quoted only if it needs it ({@link Csv#field}). */
    void writeRow(String[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                put(COMMA);
            }
            if (cells[i] != null) {
                put(Csv.field(cells[i]).getBytes(StandardCharsets.UTF_8));
            }
        }
        put(LINE_END);
    }

    private void put(byte[] bytes) throws IOException {
        if (buffered + bytes.length > buffer.length) {
            out.write(buffer, 0, buffered);
            buffered = 0;
        }
        if (bytes.length > buffer.length) {
            out.write(bytes);
            return;
        }
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }
}

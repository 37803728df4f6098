package dev.cdp.export.file;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Platform;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;

/** A platform's rows as an RFC 4180 file: the header once, then one line per usable member. */
final class CsvAudienceWriter implements AudienceFileWriter {

    private final AudienceRows rows;
    private final Writer out;
    private boolean headerWritten;

    CsvAudienceWriter(AudienceRows rows, Writer out) {
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
        Csv.writeRow(out, rows.header().toArray(new String[0]));
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
        Csv.writeRow(out, cells);
        return RowOutcome.WRITTEN;
    }

    @Override
    public Coverage coverage() {
        return rows.coverage();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}

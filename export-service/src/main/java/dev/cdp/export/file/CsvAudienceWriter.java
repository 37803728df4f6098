package dev.cdp.export.file;

import dev.cdp.export.hash.Hasher;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Identifier;
import dev.cdp.export.platform.Normalized;
import dev.cdp.export.platform.Platform;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the three file formats share: the header once, one reused row of cells, RFC 4180 output, the counters.
 * A subclass fills the cells of one member and says whether the row is usable.
 */
abstract class CsvAudienceWriter implements AudienceFileWriter {

    private final Platform platform;
    private final Writer out;
    private final List<String> header;
    private final Identifier[] columnIdentifiers;
    private final String[] cells;
    private final Coverage coverage = new Coverage();
    protected final Hasher hasher = new Hasher();
    private boolean headerWritten;

    /** One header name and the identifier it carries per column. */
    CsvAudienceWriter(Platform platform, Writer out, List<String> header, List<Identifier> columnIdentifiers) {
        if (header.size() != columnIdentifiers.size()) {
            throw new IllegalArgumentException("one identifier per column");
        }
        this.platform = platform;
        this.out = Objects.requireNonNull(out, "out");
        this.header = List.copyOf(header);
        this.columnIdentifiers = columnIdentifiers.toArray(new Identifier[0]);
        this.cells = new String[header.size()];
    }

    @Override
    public final Platform platform() {
        return platform;
    }

    @Override
    public final List<String> header() {
        return header;
    }

    @Override
    public final void writeHeader() throws IOException {
        if (headerWritten) {
            throw new IllegalStateException("the header row is already written");
        }
        Csv.writeRow(out, header.toArray(new String[0]));
        headerWritten = true;
    }

    @Override
    public final RowOutcome write(AudienceMember member) throws IOException {
        Objects.requireNonNull(member, "member");
        if (!headerWritten) {
            throw new IllegalStateException("write the header row first");
        }
        Arrays.fill(cells, null);
        if (!fill(member, cells)) {
            coverage.countSkipped();
            return RowOutcome.SKIPPED_NO_IDENTIFIER;
        }
        Csv.writeRow(out, cells);
        long carried = 0;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != null) {
                carried |= 1L << columnIdentifiers[i].ordinal();
            }
        }
        coverage.countWritten(carried);
        return RowOutcome.WRITTEN;
    }

    /**
     * Puts the member's values into the cells (null = empty) and returns whether the row can match on its own;
     * when it returns false nothing is written. Counts invalid values through {@link #checked}.
     */
    abstract boolean fill(AudienceMember member, String[] cells);

    /** The value as it is, after counting it when invalid. */
    final Normalized checked(Identifier identifier, Normalized value) {
        if (value.isInvalid()) {
            coverage.countInvalid(identifier);
        }
        return value;
    }

    @Override
    public final Coverage coverage() {
        return coverage;
    }

    @Override
    public final void flush() throws IOException {
        out.flush();
    }
}

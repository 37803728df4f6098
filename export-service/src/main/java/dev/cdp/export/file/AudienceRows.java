package dev.cdp.export.file;

import dev.cdp.export.hash.Hasher;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Identifier;
import dev.cdp.export.platform.Normalized;
import dev.cdp.export.platform.Platform;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One platform's row format: which columns, and how a member becomes one row of normalized, hashed values. The files
 * ({@link CsvAudienceWriter}) and the API deliveries use the same rows, so a customer is matched alike either way.
 * Counts coverage as it goes. Not thread-safe (one reused {@link Hasher}).
 */
public abstract class AudienceRows {

    private final Platform platform;
    private final List<String> header;
    private final Identifier[] columnIdentifiers;
    private final Set<Identifier> selected;
    private final Coverage coverage = new Coverage();
    protected final Hasher hasher = new Hasher();

    /** One header name and the identifier it carries per column; only the selected identifiers are filled. */
    AudienceRows(Platform platform, List<String> header, List<Identifier> columnIdentifiers, Set<Identifier> selected) {
        if (header.size() != columnIdentifiers.size()) {
            throw new IllegalArgumentException("one identifier per column");
        }
        this.platform = platform;
        this.header = List.copyOf(header);
        this.columnIdentifiers = columnIdentifiers.toArray(new Identifier[0]);
        this.selected = selected.isEmpty() ? EnumSet.noneOf(Identifier.class) : EnumSet.copyOf(selected);
    }

    /** The platform's rows with every identifier it takes. */
    public static AudienceRows of(Platform platform) {
        return of(platform, EnumSet.allOf(Identifier.class));
    }

    /** The platform's rows filled with the selected identifiers only (a sync's choice). */
    public static AudienceRows of(Platform platform, Set<Identifier> selected) {
        return switch (platform) {
            case META -> new MetaRows(selected);
            case GOOGLE -> new GoogleRows(selected);
            case TIKTOK -> new TikTokRows(selected);
        };
    }

    public final Platform platform() {
        return platform;
    }

    /** The column names, in order (a name may repeat, as platforms allow). */
    public final List<String> header() {
        return header;
    }

    /** The identifiers this format can carry, each once, in column order. */
    public final Set<Identifier> identifiers() {
        return EnumSet.copyOf(List.of(columnIdentifiers));
    }

    /**
     * The member's row (null cell = empty), or null when nothing usable is left to match on; either way the member
     * is counted in {@link #coverage()}.
     */
    public final String[] row(AudienceMember member) {
        Objects.requireNonNull(member, "member");
        String[] cells = new String[columnIdentifiers.length];
        if (!fill(member, cells)) {
            coverage.countSkipped();
            return null;
        }
        long carried = 0;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != null) {
                carried |= 1L << columnIdentifiers[i].ordinal();
            }
        }
        coverage.countWritten(carried);
        return cells;
    }

    /**
     * Puts the member's values into the cells and returns whether the row can match on its own. Reads every
     * identifier through {@link #checked}.
     */
    abstract boolean fill(AudienceMember member, String[] cells);

    /** The value when its identifier is selected (absent otherwise), after counting it when invalid. */
    final Normalized checked(Identifier identifier, Normalized value) {
        if (!selected.contains(identifier)) {
            return Normalized.absent();
        }
        if (value.isInvalid()) {
            coverage.countInvalid(identifier);
        }
        return value;
    }

    public final Coverage coverage() {
        return coverage;
    }
}

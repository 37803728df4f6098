package dev.cdp.export.file;

import dev.cdp.export.platform.Identifier;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one file: rows written and skipped, per identifier how many written rows carry it, and how many values
 * were given but unusable (counted over every member, written or skipped). Counts only, never values: no PII.
 */
public final class Coverage {

    private static final Identifier[] IDENTIFIERS = Identifier.values();

    private final long[] rowsWith = new long[IDENTIFIERS.length];
    private final long[] invalid = new long[IDENTIFIERS.length];
    private long rowsWritten;
    private long rowsSkipped;

    public long rowsWritten() {
        return rowsWritten;
    }

    public long rowsSkipped() {
        return rowsSkipped;
    }

    /** Written rows that carry this identifier (a row with two email variants counts once). */
    public long rowsWith(Identifier identifier) {
        return rowsWith[identifier.ordinal()];
    }

    /** Members whose value for this identifier was present but unusable, so it was left out. */
    public long invalid(Identifier identifier) {
        return invalid[identifier.ordinal()];
    }

    /** Phone numbers that libphonenumber rejected (not parsable or not valid): never hashed, never sent. */
    public long invalidPhones() {
        return invalid(Identifier.PHONE);
    }

    /** {@link #rowsWith} for every identifier that at least one row carries. */
    public Map<Identifier, Long> rowsWithByIdentifier() {
        return nonZero(rowsWith);
    }

    /** {@link #invalid} for every identifier with at least one invalid value. */
    public Map<Identifier, Long> invalidByIdentifier() {
        return nonZero(invalid);
    }

    void countWritten(long identifierMask) {
        rowsWritten++;
        for (int i = 0; i < IDENTIFIERS.length; i++) {
            if ((identifierMask & (1L << i)) != 0) {
                rowsWith[i]++;
            }
        }
    }

    void countSkipped() {
        rowsSkipped++;
    }

    void countInvalid(Identifier identifier) {
        invalid[identifier.ordinal()]++;
    }

    private static Map<Identifier, Long> nonZero(long[] counts) {
        Map<Identifier, Long> map = new EnumMap<>(Identifier.class);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                map.put(IDENTIFIERS[i], counts[i]);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "Coverage[written=" + rowsWritten + ", skipped=" + rowsSkipped + ", rowsWith=" + rowsWithByIdentifier()
                + ", invalid=" + invalidByIdentifier() + "]";
    }
}

package dev.cdp.export.platform;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The result of normalizing one raw value. {@link Status#ABSENT} (nothing given) and {@link Status#INVALID} (given but
 * unusable, such as a phone number that is not valid) are kept apart so the caller can count the second;
 * {@link Status#PREHASHED} marks a value that already was SHA-256 hex and must not be hashed again.
 */
public record Normalized(Status status, String value) {

    public enum Status {
        /** A normalized clear-text value, ready to hash or to send as it is. */
        VALUE,
        /** Lower-case SHA-256 hex as received; it passes through unhashed. */
        PREHASHED,
        /** No value, or only blanks. */
        ABSENT,
        /** A value that cannot be normalized for this platform; it is left out. */
        INVALID
    }

    private static final Normalized ABSENT = new Normalized(Status.ABSENT, null);
    private static final Normalized INVALID = new Normalized(Status.INVALID, null);

    public Normalized {
        Objects.requireNonNull(status, "status");
        boolean carriesValue = status == Status.VALUE || status == Status.PREHASHED;
        if (carriesValue && (value == null || value.isEmpty())) {
            throw new IllegalArgumentException(status + " needs a non-empty value");
        }
        if (!carriesValue && value != null) {
            throw new IllegalArgumentException(status + " carries no value");
        }
        if (status == Status.PREHASHED && !(Text.isSha256Hex(value) && value.equals(value.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("a pre-hashed value is 64 lower-case hex digits");
        }
    }

    public static Normalized of(String value) {
        return new Normalized(Status.VALUE, value);
    }

    /** Empty text means the normalization removed everything: the raw value was there but unusable. */
    static Normalized ofOrInvalid(String value) {
        return value.isEmpty() ? INVALID : new Normalized(Status.VALUE, value);
    }

    /** SHA-256 hex in either case, kept in lower case. */
    public static Normalized prehashed(String sha256Hex) {
        return new Normalized(Status.PREHASHED, sha256Hex == null ? null : sha256Hex.toLowerCase(Locale.ROOT));
    }

    public static Normalized absent() {
        return ABSENT;
    }

    public static Normalized invalid() {
        return INVALID;
    }

    /** True for a value to send: normalized clear text or a pre-hashed value. */
    public boolean isPresent() {
        return value != null;
    }

    public boolean isInvalid() {
        return status == Status.INVALID;
    }

    public boolean isPrehashed() {
        return status == Status.PREHASHED;
    }

    /** The same status with a derived value; absent, invalid and pre-hashed results pass through unchanged. */
    Normalized mapValue(UnaryOperator<String> mapping) {
        return status == Status.VALUE ? ofOrInvalid(mapping.apply(value)) : this;
    }

    /** Status and length only: the value is PII. */
    @Override
    public String toString() {
        return value == null ? "Normalized[" + status + "]" : "Normalized[" + status + ", " + value.length() + " chars]";
    }
}

package dev.cdp.events;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a transaction may say, defined once: ingestion-service refuses what breaks it (a 400 naming the field), so
 * profile-service, which stores amounts as {@code numeric(18,4)}, never meets a transaction it cannot store.
 */
public final class TransactionFacts {

    /** The transaction types, as stored; senders may write them in any case. */
    public static final List<String> TYPES = List.of("PURCHASE", "FUEL", "MARKET");
    /** Amounts are below this (exclusive): far above any sale, well inside the stored precision. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    /** Decimal places an amount may have (trailing zeros do not count): what the stored column keeps. */
    public static final int AMOUNT_SCALE = 4;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private TransactionFacts() {
    }

    /** The stored type of what a sender wrote ({@code fuel} is {@code FUEL}), when it is one. */
    public static Optional<String> type(String written) {
        String type = TextKeys.code(written);
        return TYPES.contains(type) ? Optional.of(type) : Optional.empty();
    }

    /** What is wrong with an amount ("must not be negative", ...), or empty when it is one. */
    public static Optional<String> amountProblem(BigDecimal amount) {
        if (amount.signum() < 0) {
            return Optional.of("must not be negative");
        }
        if (amount.compareTo(MAX_AMOUNT) >= 0) {
            return Optional.of("must be less than " + MAX_AMOUNT.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > AMOUNT_SCALE) {
            return Optional.of("must have at most " + AMOUNT_SCALE + " decimal places");
        }
        return Optional.empty();
    }

    /** The stored ISO 4217 code of what a sender wrote ({@code try} is {@code TRY}), when it is three letters. */
    public static Optional<String> currency(String written) {
        String code = TextKeys.code(written);
        return CURRENCY.matcher(code).matches() ? Optional.of(code) : Optional.empty();
    }
}

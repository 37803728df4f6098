package dev.cdp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The transaction vocabulary every service applies. */
class TransactionFactsTest {

    @Test
    void readsTypesAndCurrenciesInAnyCaseAndUnderATurkishDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(TransactionFacts.type(" fuel ")).contains("FUEL");
            assertThat(TransactionFacts.type("purchase")).as("i upper-cases to I, not İ").contains("PURCHASE");
            assertThat(TransactionFacts.type("CAR_WASH")).isEmpty();
            assertThat(TransactionFacts.currency("try")).contains("TRY");
            assertThat(TransactionFacts.currency("TL")).isEmpty();
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void boundsAmountsAndTheirDecimals() {
        assertThat(TransactionFacts.amountProblem(new BigDecimal("1250.4000"))).isEmpty();
        assertThat(TransactionFacts.amountProblem(new BigDecimal("1.2300000"))).as("trailing zeros are no precision").isEmpty();
        assertThat(TransactionFacts.amountProblem(new BigDecimal("1.23456"))).contains("must have at most 4 decimal places");
        assertThat(TransactionFacts.amountProblem(new BigDecimal("-0.01"))).contains("must not be negative");
        assertThat(TransactionFacts.amountProblem(new BigDecimal("1000000000000"))).contains("must be less than 1000000000000");
        assertThat(TransactionFacts.amountProblem(new BigDecimal("999999999999.9999"))).isEmpty();
    }
}

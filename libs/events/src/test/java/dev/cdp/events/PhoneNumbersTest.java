package dev.cdp.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The suite's one phone rule, as numbers are written in Türkiye and abroad. */
class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({"0532 123 45 67,TR,+905321234567", "+90 (532) 123-45-67,TR,+905321234567", "532 123 45 67,Türkiye,+905321234567",
            "(0212) 555 12 34,,+902125551234", "+1 202.555.0123,US,+12025550123", "1-800-555-0199,USA,+18005550199",
            "+905321234567,,+905321234567"})
    void writesValidNumbersInE164ReadInTheCustomersCountry(String written, String country, String e164) {
        assertThat(PhoneNumbers.e164(written, country, PhoneNumbers.DEFAULT_REGION)).contains(e164);
    }

    @ParameterizedTest
    @CsvSource({"0532 123,TR", "+905321234,", "12345,US", "not a number,TR"})
    void refusesWhatIsNotAValidNumber(String written, String country) {
        assertThat(PhoneNumbers.e164(written, country, PhoneNumbers.DEFAULT_REGION)).isEmpty();
    }
}

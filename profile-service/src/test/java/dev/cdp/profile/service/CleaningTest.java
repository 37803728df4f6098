package dev.cdp.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Raw values from Turkish retail data become clean ones, or are reported as not cleanable. */
class CleaningTest {

    @ParameterizedTest
    @CsvSource({"Ayse.Yilmaz@Example.COM,ayse.yilmaz@example.com", "'  can@ornek.com.tr ',can@ornek.com.tr"})
    void lowerCasesEmailsForMatching(String raw, String clean) {
        assertThat(Cleaning.email(raw)).contains(clean);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@b", "two@@example.com", "  "})
    void refusesWhatIsNotAnEmailAddress(String raw) {
        assertThat(Cleaning.email(raw)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0532 111 22 33,TR,+905321112233", "+90 (532) 111-22-33,DE,+905321112233", "905321112233,TR,+905321112233",
            "0212 555 12 34,TR,+902125551234", "5321112233,TR,+905321112233", "030 1234567,DE,+49301234567"})
    void writesPhonesInE164ReadingLocalNumbersInTheRegion(String raw, String region, String e164) {
        assertThat(Cleaning.phoneE164(raw, region)).contains(e164);
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "phone", "0532 111"})
    void refusesInvalidPhoneNumbers(String raw) {
        assertThat(Cleaning.phoneE164(raw, "TR")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"Türkiye,TR", "TURKEY,TR", "turkiye,TR", "TR,TR", "TUR,TR", "Almanya,DE", "Germany,DE", "Birleşik Krallık,GB",
            "United Kingdom,GB", "Hollanda,NL", "nl,NL"})
    void findsTheIsoCodeOfACountryNamedInEnglishOrTurkishOrByCode(String raw, String code) {
        assertThat(Cleaning.countryCode(raw)).contains(code);
    }

    @ParameterizedTest
    @CsvSource({"İstanbul,istanbul", "ISTANBUL,istanbul", "istanbul,istanbul", "İZMİR,izmir", "Şanlıurfa,sanliurfa",
            "'  Çanakkale ',canakkale", "Muğla,mugla"})
    void foldsCityNamesForMatching(String raw, String key) {
        assertThat(Cleaning.cityKey(raw)).contains(key);
    }

    @ParameterizedTest
    @CsvSource({"F,female", "Kadın,female", "erkek,male", "Male,male", "non-binary,non binary"})
    void normalizesGender(String raw, String clean) {
        assertThat(Cleaning.gender(raw)).contains(clean);
    }

    @ParameterizedTest
    @CsvSource({"1990-05-17,1990-05-17", "1985-01-02T00:00:00Z,1985-01-02", "07.03.1990,1990-03-07", "17.05.1990,1990-05-17"})
    void readsBirthDates(String raw, LocalDate date) {
        assertThat(Cleaning.birthDate(raw, LocalDate.of(2026, 11, 26))).contains(date);
    }

    @ParameterizedTest
    @ValueSource(strings = {"05/06/1990", "31.02.1990", "2030-01-01", "1850-01-01", "yesterday"})
    void refusesUnreadableOrImplausibleBirthDates(String raw) {
        assertThat(Cleaning.birthDate(raw, LocalDate.of(2026, 11, 26))).isEmpty();
    }
}

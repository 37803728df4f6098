package dev.cdp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The suite's one country table, as profiles and files name countries. */
class CountriesTest {

    @ParameterizedTest
    @CsvSource({"Türkiye,TR", "TÜRKİYE,TR", "TURKEY,TR", "turkiye,TR", "TR,TR", "tr,TR", "TUR,TR", "Almanya,DE", "Germany,DE",
            "Birleşik Krallık,GB", "United Kingdom,GB", "U.K.,GB", "Hollanda,NL", "nl,NL", "U.S.A.,US", "ABD,US", "Kıbrıs,CY",
            "KKTC,CY", "İtalya,IT", "Yunanistan,GR", "Azerbaycan,AZ"})
    void findsTheCodeOfACountryNamedInEnglishOrTurkishOrByCode(String name, String code) {
        assertThat(Countries.code(name)).contains(code);
    }

    @Test
    void answersTheSameUnderATurkishDefaultLocaleAndNothingForWhatNamesNoCountry() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(Countries.code("IRELAND")).as("I is i, not ı").contains("IE");
            assertThat(Countries.code("India")).contains("IN");
        } finally {
            Locale.setDefault(before);
        }
        assertThat(Countries.code("Atlantis")).isEmpty();
        assertThat(Countries.code("")).isEmpty();
        assertThat(Countries.code(null)).isEmpty();
    }
}

package dev.cdp.segment.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Numbers, money and times as each language writes them, in the business's zone. */
class ConsoleFormatTest {

    private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    private static final Instant SALE = Instant.parse("2026-12-05T11:03:00Z");

    @Test
    void writesTurkishAsTurkishReadersDo() {
        ConsoleFormat turkish = new ConsoleFormat(ConsoleFormat.TURKISH, ISTANBUL);
        assertThat(turkish.money(new BigDecimal("1250.4"), "TRY")).isEqualTo("1.250,40 ₺");
        assertThat(turkish.number(1_234_567)).isEqualTo("1.234.567");
        assertThat(turkish.dateTime(SALE)).isEqualTo("5 Ara 2026 14:03");
    }

    @Test
    void writesEnglishWithTheCurrencysCode() {
        ConsoleFormat english = new ConsoleFormat(ConsoleFormat.ENGLISH, ISTANBUL);
        assertThat(english.money(new BigDecimal("1250.4"), "TRY")).isEqualTo("TRY 1,250.40");
        assertThat(english.money(new BigDecimal("3"), "EUR")).isEqualTo("€ 3.00");
        assertThat(english.number(1_234_567)).isEqualTo("1,234,567");
        assertThat(english.dateTime(SALE)).isEqualTo("5 Dec 2026, 14:03");
    }

    @Test
    void choosesTurkishOnlyWhenTheBrowserPrefersItToEnglish() {
        assertThat(ConsoleFormat.choose(List.of(Locale.forLanguageTag("tr-TR"), Locale.ENGLISH))).isEqualTo(ConsoleFormat.TURKISH);
        assertThat(ConsoleFormat.choose(List.of(Locale.forLanguageTag("en-US"), Locale.forLanguageTag("tr")))).isEqualTo(ConsoleFormat.ENGLISH);
        assertThat(ConsoleFormat.choose(List.of(Locale.GERMAN, Locale.forLanguageTag("tr")))).isEqualTo(ConsoleFormat.TURKISH);
        assertThat(ConsoleFormat.choose(List.of(Locale.GERMAN))).isEqualTo(ConsoleFormat.ENGLISH);
    }
}

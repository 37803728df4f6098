package dev.cdp.segment.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * How the console writes numbers, money and times for the reader's language: the one place these rules live. Turkish
 * readers see {@code 1.250,40 ₺} and {@code 5.12.2026 14:03}; English readers {@code TRY 1,250.40} and
 * {@code Dec 5, 2026, 2:03 PM}. Times are shown in the business's zone ({@code cdp.console.time-zone}).
 */
public final class ConsoleFormat {

    public static final Locale TURKISH = Locale.forLanguageTag("tr-TR");
    public static final Locale ENGLISH = Locale.forLanguageTag("en-GB");
    private static final ObjectWriter PRETTY = new ObjectMapper().writerWithDefaultPrettyPrinter();

    private final Locale locale;
    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;

    public ConsoleFormat(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
        this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).withZone(zone);
        this.date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).withZone(zone);
    }

    /** Turkish when the browser prefers it to English, else English: the languages the console is written in. */
    public static Locale choose(List<Locale> acceptable) {
        for (Locale candidate : acceptable) {
            String language = candidate.getLanguage();
            if ("tr".equals(language)) {
                return TURKISH;
            }
            if ("en".equals(language)) {
                return ENGLISH;
            }
        }
        return ENGLISH;
    }

    public Locale locale() {
        return locale;
    }

    /** The language tag for {@code <html lang>}. */
    public String language() {
        return locale.getLanguage();
    }

    public ZoneId zone() {
        return zone;
    }

    public String number(Number value) {
        return value == null ? "" : NumberFormat.getIntegerInstance(locale).format(value);
    }

    public String decimal(BigDecimal value) {
        if (value == null) {
            return "";
        }
        NumberFormat format = NumberFormat.getNumberInstance(locale);
        format.setMinimumFractionDigits(0);
        format.setMaximumFractionDigits(4);
        return format.format(value);
    }

    /** An amount with its currency: {@code 1.250,40 ₺} in Turkish, {@code TRY 1,250.40} in English. */
    public String money(BigDecimal amount, String currencyCode) {
        if (amount == null) {
            return "";
        }
        Currency currency = currency(currencyCode);
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(locale);
        symbols.setCurrency(currency);
        // Turkish writes the symbol after the amount (TDK); CLDR's pattern puts it first, which reads as foreign.
        String pattern = TURKISH.getLanguage().equals(locale.getLanguage()) ? "#,##0.00\u00a0¤" : "¤\u00a0#,##0.00";
        DecimalFormat format = new DecimalFormat(pattern, symbols);
        format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
        format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
        return format.format(amount).replace('\u00a0', ' ');
    }

    public String dateTime(Instant instant) {
        return instant == null ? "" : dateTime.format(instant);
    }

    public String date(Instant instant) {
        return instant == null ? "" : date.format(instant);
    }

    /** The ISO form of an instant, for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** An instant from an API's JSON ({@code "2026-12-05T10:00:00Z"}), or null. */
    public static Instant instant(JsonNode value) {
        try {
            return value != null && value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A JSON document indented for reading (a definition, a message as it was sent). */
    public static String json(JsonNode document) {
        try {
            return PRETTY.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            return String.valueOf(document);
        }
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code == null || code.isBlank() ? "TRY" : code);
        } catch (IllegalArgumentException unknown) {
            return Currency.getInstance("TRY");
        }
    }
}

package dev.cdp.profile.service;

import dev.cdp.events.Countries;
import dev.cdp.events.PhoneNumbers;
import dev.cdp.events.TextKeys;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How raw values become clean ones: emails lower-cased for matching, phones in E.164 where parsable, countries as ISO
 * 3166-1 alpha-2 codes from a code or a name in English or Turkish, city names folded for matching. Every method
 * either cleans a value or says it cannot (empty), so the caller can record a data-quality issue.
 */
public final class Cleaning {

    private static final Pattern TURKISH_DATE = Pattern.compile("\\d{2}\\.\\d{2}\\.\\d{4}");
    private static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("dd.MM.uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    private Cleaning() {
    }

    /** A trimmed value, or empty for a missing or blank one. */
    public static Optional<String> trimmed(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? Optional.empty() : Optional.of(trimmed);
    }

    /** The address lower-cased, as it is matched; empty when it is not an email address. */
    public static Optional<String> email(String value) {
        return TextKeys.email(value);
    }

    /**
     * The number in E.164 ({@code +905321112233}); numbers without a country code are read in {@code region} (the
     * customer's country, else the configured default). Empty when it is not a valid number.
     */
    public static Optional<String> phoneE164(String value, String region) {
        return trimmed(value).flatMap(number -> PhoneNumbers.e164(number, region, region));
    }

    /** The ISO 3166-1 alpha-2 code for a code (TR, TUR) or a name in English or Turkish (Turkey, Türkiye). */
    public static Optional<String> countryCode(String value) {
        return trimmed(value).flatMap(Countries::code);
    }

    /** A city name folded for matching: lower case, Turkish letters and accents to ASCII ("İSTANBUL" -> "istanbul"). */
    public static Optional<String> cityKey(String value) {
        return trimmed(value).map(TextKeys::fold);
    }

    /** female, male, or the value folded when it is neither ({@link TextKeys#gender}). */
    public static Optional<String> gender(String value) {
        return trimmed(value).map(TextKeys::gender);
    }

    /**
     * A birth date from {@code 1990-05-17} (or a date-time starting so) or the Turkish form {@code 17.05.1990} (day
     * first, with dots: slashes are left out, as {@code 05/06/1990} means two dates); empty when unreadable or
     * implausible.
     */
    public static Optional<LocalDate> birthDate(String value, LocalDate today) {
        Optional<String> text = trimmed(value);
        if (text.isEmpty() || text.get().length() < 10) {
            return Optional.empty();
        }
        try {
            String date = text.get().substring(0, 10);
            LocalDate born = TURKISH_DATE.matcher(date).matches() ? LocalDate.parse(date, DAY_MONTH_YEAR) : LocalDate.parse(date);
            return born.isAfter(today) || born.getYear() < 1900 ? Optional.empty() : Optional.of(born);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

}

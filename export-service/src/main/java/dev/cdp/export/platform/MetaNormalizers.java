package dev.cdp.export.platform;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * Meta Custom Audiences (customer file, multi-key API and Conversions API {@code user_data}): one method per key.
 * Hashed keys come back as the string to hash (or pre-hashed); {@code MADID} and {@code EXTERN_ID} are sent in clear.
 * Thread-safe.
 */
public final class MetaNormalizers {

    private MetaNormalizers() {
    }

    /** {@code EMAIL}: NFKC, trimmed, lower case. No dot or {@code +tag} removal: Meta does none. */
    public static Normalized email(String raw) {
        return Emails.minimal(raw);
    }

    /** {@code PHONE}: E.164 digits without {@code +}, always with the country code, even when COUNTRY is sent. */
    public static Normalized phone(String raw, String countryCode) {
        return phone(Phones.e164(raw, countryCode));
    }

    /** {@code PHONE} of a number already in E.164 ({@link Phones#e164} or {@link Phones#held}). */
    public static Normalized phone(Normalized e164) {
        return Phones.digits(e164);
    }

    /**
     * {@code FN}: transliterated to ASCII {@code a-z}, spaces and punctuation removed ({@code Şükrü}→{@code sukru},
     * {@code Mary-Jane}→{@code maryjane}). Meta recommends the Roman spelling for the best match; its Python SDK's
     * {@code [^a-z]} deletion ({@code kr}) is the bug we avoid. A name in another script (Cyrillic, Arabic...) has no
     * Roman spelling here, so it goes as lower-case UTF-8 letters, which Meta accepts for FN and LN.
     */
    public static Normalized firstName(String raw) {
        return name(raw);
    }

    /** {@code LN}: as {@link #firstName}. */
    public static Normalized lastName(String raw) {
        return name(raw);
    }

    /**
     * The UTF-8 spelling of FN/LN ({@code Şükrü}→{@code şükrü}): NFC, lower case, letters only. Not used in files; kept
     * for an A/B match-rate test against the transliterated form.
     */
    public static Normalized nameUtf8(String raw) {
        return Text.normalize(raw, stripped -> Normalized.ofOrInvalid(Text.lettersOnly(Text.lower(Text.nfc(stripped), false))));
    }

    /** {@code FI}: the first letter of the normalized first name. */
    public static Normalized firstInitial(String raw) {
        Normalized name = name(raw);
        return name.isPrehashed() ? Normalized.invalid()
                : name.mapValue(value -> value.substring(0, Character.charCount(value.codePointAt(0))));
    }

    private static Normalized name(String raw) {
        return Text.normalize(raw, stripped -> {
            String nfc = Text.nfc(stripped);
            if (Text.hasNonLatinLetter(nfc)) {
                return Normalized.ofOrInvalid(Text.lettersOnly(Text.lower(nfc, false)));
            }
            return Normalized.ofOrInvalid(Text.asciiLetters(nfc));
        });
    }

    /** {@code CT}: transliterated, {@code a-z} only ({@code İstanbul}→{@code istanbul}, {@code New York}→{@code newyork}). */
    public static Normalized city(String raw) {
        return asciiKey(raw);
    }

    /**
     * {@code ST}: a US state as its two-letter code ({@code California}→{@code ca}); elsewhere the name transliterated
     * to {@code a-z} ({@code İstanbul}→{@code istanbul}). The US table also applies when the country is unknown: no
     * Turkish province shares a name with a US state.
     */
    public static Normalized state(String raw, String countryCode) {
        Normalized state = asciiKey(raw);
        if (!state.isPresent() || state.isPrehashed()) {
            return state;
        }
        String country = Countries.alpha2(countryCode);
        if (country == null || country.equals("US")) {
            String code = UsStates.code(state.value());
            if (code != null) {
                return Normalized.of(code);
            }
        }
        return state;
    }

    /**
     * {@code ZIP}: lower case without spaces, dashes or other punctuation; US: the first five digits
     * ({@code 94043-1351}→{@code 94043}), invalid with fewer. UK postcodes go whole ({@code SW1A 1AA}→{@code sw1a1aa}),
     * as Meta's own example {@code m11ae}, not cut to the sector that its rule text names.
     */
    public static Normalized zip(String raw, String countryCode) {
        return Text.normalize(raw, stripped -> {
            String alphanumeric = alphanumericLower(Text.nfkc(stripped));
            if ("US".equals(Countries.alpha2(countryCode))) {
                return alphanumeric.length() >= 5 && isDigits(alphanumeric, 5)
                        ? Normalized.of(alphanumeric.substring(0, 5))
                        : Normalized.invalid();
            }
            return Normalized.ofOrInvalid(alphanumeric);
        });
    }

    /**
     * {@code COUNTRY}: ISO 3166-1 alpha-2 in lower case, from a code or a name ({@code Türkiye}→{@code tr}); invalid
     * when no country is recognized (never the first two letters, as Meta's SDK does: {@code Turkey}→{@code tu}).
     */
    public static Normalized country(String raw) {
        return Text.normalize(raw, stripped -> {
            String alpha2 = Countries.alpha2(stripped);
            return alpha2 == null ? Normalized.invalid() : Normalized.of(alpha2.toLowerCase(Locale.ROOT));
        });
    }

    /** Conversions API {@code db}: YYYYMMDD ({@code 19900307}). */
    public static Normalized dateOfBirth(LocalDate birthDate) {
        return plausible(birthDate)
                ? Normalized.of(birthDate.getYear() + twoDigits(birthDate.getMonthValue()) + twoDigits(birthDate.getDayOfMonth()))
                : absentOrInvalid(birthDate);
    }

    /** {@code DOBY}: four digits, 1900 to the current year. */
    public static Normalized birthYear(LocalDate birthDate) {
        return plausible(birthDate) ? Normalized.of(Integer.toString(birthDate.getYear())) : absentOrInvalid(birthDate);
    }

    /** {@code DOBM}: {@code 01} to {@code 12}. */
    public static Normalized birthMonth(LocalDate birthDate) {
        return plausible(birthDate) ? Normalized.of(twoDigits(birthDate.getMonthValue())) : absentOrInvalid(birthDate);
    }

    /** {@code DOBD}: {@code 01} to {@code 31}. */
    public static Normalized birthDay(LocalDate birthDate) {
        return plausible(birthDate) ? Normalized.of(twoDigits(birthDate.getDayOfMonth())) : absentOrInvalid(birthDate);
    }

    /**
     * {@code GEN}: {@code m} or {@code f}, from English or Turkish words or initials (Erkek/E, Kadın/K); any other
     * value is invalid and left out rather than guessed.
     */
    public static Normalized gender(String raw) {
        return Text.normalize(raw, stripped -> {
            return switch (Text.asciiLetters(Text.nfc(stripped))) {
                case "m", "male", "man", "e", "erkek", "bay" -> Normalized.of("m");
                case "f", "female", "woman", "k", "kadin", "bayan" -> Normalized.of("f");
                default -> Normalized.invalid();
            };
        });
    }

    /** {@code MADID}, sent in clear: trimmed, lower case, hyphens kept. */
    public static Normalized mobileAdvertiserId(String raw) {
        String stripped = Text.strip(raw);
        return stripped == null ? Normalized.absent() : Normalized.of(stripped.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code EXTERN_ID}, sent in clear and exactly as given (trimmed): Meta only asks that the same id is sent every
     * time, and our customer id is stable and not PII.
     */
    public static Normalized externalId(String raw) {
        String stripped = Text.strip(raw);
        return stripped == null ? Normalized.absent() : Normalized.of(stripped);
    }

    /** {@code EXTERN_ID} for one of our customers: the customer id in its canonical (lower-case) UUID form. */
    public static Normalized externalId(UUID customerId) {
        return customerId == null ? Normalized.absent() : Normalized.of(customerId.toString());
    }

    private static Normalized asciiKey(String raw) {
        return Text.normalize(raw, stripped -> Normalized.ofOrInvalid(Text.asciiLetters(Text.nfc(stripped))));
    }

    private static boolean plausible(LocalDate birthDate) {
        return birthDate != null && birthDate.getYear() >= 1900
                && birthDate.getYear() <= LocalDate.now(ZoneOffset.UTC).getYear();
    }

    private static Normalized absentOrInvalid(LocalDate birthDate) {
        return birthDate == null ? Normalized.absent() : Normalized.invalid();
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    private static String alphanumericLower(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) (c + ('a' - 'A')));
            }
        }
        return out.toString();
    }

    private static boolean isDigits(String value, int count) {
        for (int i = 0; i < count; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

package dev.cdp.export.platform;

import java.util.Locale;

/**
 * Google Customer Match (Data Manager API and the customer-list CSV). Email, phone and names are hashed; country and
 * zip go in clear; mobile device ids and user ids belong to separate list types and go in clear. Thread-safe.
 */
public final class GoogleNormalizers {

    private GoogleNormalizers() {
    }

    /** {@code emailAddress}: lower case, no white space anywhere; gmail.com/googlemail.com without dots and +tag. */
    public static Normalized email(String raw) {
        return Emails.google(raw);
    }

    /** {@code phoneNumber}: E.164 with the {@code +}. */
    public static Normalized phone(String raw, String countryCode) {
        return Phones.e164(raw, countryCode);
    }

    /**
     * {@code givenName}: NFC, lower case with {@code İ}→{@code i} (but {@code ı} kept: Google keeps the letters, as its
     * own template's {@code zoë}), punctuation and digits removed ({@code O'Neil}→{@code oneil}), trimmed. Spaces inside
     * stay, each run as one space: the Data Manager guide says trim only; the older Ads API docs say remove all spaces,
     * an A/B question. Titles (Mrs., Jr.) are not stripped: profiles keep given and family names in their own fields,
     * and a guessed list would cut real names.
     */
    public static Normalized firstName(String raw) {
        return name(raw);
    }

    /** {@code familyName}: as {@link #firstName}. */
    public static Normalized lastName(String raw) {
        return name(raw);
    }

    private static Normalized name(String raw) {
        return Text.normalize(raw, stripped -> Normalized.ofOrInvalid(Text.lettersAndSingleSpaces(Text.lower(Text.nfc(stripped), false))));
    }

    /** {@code regionCode}, in clear: ISO 3166-1 alpha-2 in upper case, from a code or a name. */
    public static Normalized country(String raw) {
        if (Text.strip(raw) == null) {
            return Normalized.absent();
        }
        String alpha2 = Countries.alpha2(raw);
        return alpha2 == null ? Normalized.invalid() : Normalized.of(alpha2);
    }

    /**
     * {@code postalCode}, in clear. US: five digits or ZIP+4 as {@code 94043-1351} (Google: 5+4 may improve the match
     * rate). Elsewhere: upper case, runs of spaces as one, and no spaces at all in an all-digit code
     * ({@code 34 710}→{@code 34710}) while a UK code keeps its one space ({@code WC2H 8LG}). Anything but letters,
     * digits, spaces and dashes makes it invalid.
     */
    public static Normalized zip(String raw, String countryCode) {
        String stripped = Text.strip(raw);
        if (stripped == null) {
            return Normalized.absent();
        }
        String zip = Text.nfkc(stripped).toUpperCase(Locale.ROOT);
        if ("US".equals(Countries.alpha2(countryCode))) {
            return usZip(zip);
        }
        StringBuilder out = new StringBuilder(zip.length());
        boolean pendingSpace = false;
        boolean allDigits = true;
        for (int i = 0; i < zip.length(); i++) {
            char c = zip.charAt(i);
            if (c == ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = true;
                continue;
            }
            boolean digit = c >= '0' && c <= '9';
            if (!digit && !(c >= 'A' && c <= 'Z') && c != '-') {
                return Normalized.invalid();
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            allDigits &= digit;
            out.append(c);
        }
        return Normalized.ofOrInvalid(allDigits ? Text.withoutWhitespace(out.toString()) : out.toString());
    }

    private static Normalized usZip(String zip) {
        StringBuilder digits = new StringBuilder(9);
        for (int i = 0; i < zip.length(); i++) {
            char c = zip.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != '-' && c != ' ') {
                return Normalized.invalid();
            }
        }
        if (digits.length() == 5) {
            return Normalized.of(digits.toString());
        }
        return digits.length() == 9 ? Normalized.of(digits.substring(0, 5) + '-' + digits.substring(5)) : Normalized.invalid();
    }

    /** {@code Mobile Device ID} (a separate list type), in clear: trimmed, case kept as the device reports it. */
    public static Normalized mobileDeviceId(String raw) {
        String stripped = Text.strip(raw);
        return stripped == null ? Normalized.absent() : Normalized.of(stripped);
    }

    /** {@code User ID} (a separate list type, CRM id), in clear: trimmed, as given. */
    public static Normalized userId(String raw) {
        String stripped = Text.strip(raw);
        return stripped == null ? Normalized.absent() : Normalized.of(stripped);
    }
}

package dev.cdp.export.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers through libphonenumber, parsed once per member and then shaped per platform: E.164 with {@code +}
 * (Google, TikTok's second column) or its digits (Meta, TikTok's first column). Thread-safe.
 */
public final class Phones {

    /** Where a number without a country code is read when the customer has no (usable) country: our home market. */
    public static final String DEFAULT_REGION = "TR";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** What libphonenumber answers for a country calling code that does not exist. */
    private static final String UNKNOWN_REGION = "ZZ";

    private Phones() {
    }

    /**
     * The number in E.164 ({@code +905321234567}). A number without a country code is read in the customer's country
     * (alpha-2, or a name {@link Countries} knows), else in {@link #DEFAULT_REGION}. Absent for a blank value, invalid
     * when libphonenumber cannot parse it or {@code isValidNumber} rejects it; SHA-256 hex passes through.
     */
    public static Normalized e164(String raw, String countryCode) {
        return Text.normalize(raw, stripped -> {
            Normalized written = alreadyE164(stripped);
            if (written != null) {
                return written;
            }
            try {
                PhoneNumber number = PHONES.parse(stripped, region(countryCode));
                return PHONES.isValidNumber(number)
                        ? Normalized.of(PHONES.format(number, PhoneNumberFormat.E164))
                        : Normalized.invalid();
            } catch (NumberParseException e) {
                return Normalized.invalid();
            }
        });
    }

    /**
     * A number already written in E.164, as profiles store phones, checked without parsing: libphonenumber's
     * {@code parse} (its regular expressions) was most of an export's CPU. Country calling codes are prefix-free, so
     * the first 1 to 3 digits that name one are it; the rest is the national number, and {@code isValidNumber} decides,
     * exactly as after a parse. Null (use the full parse) for anything else, and for a national number with a leading
     * zero, which a parse records differently.
     */
    static Normalized alreadyE164(String text) {
        int length = text.length();
        if (length < 8 || length > 16 || text.charAt(0) != '+' || text.charAt(1) == '0') {
            return null;
        }
        for (int i = 1; i < length; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        for (int digits = 1; digits <= 3; digits++) {
            int countryCode = Integer.parseInt(text, 1, 1 + digits, 10);
            if (!UNKNOWN_REGION.equals(PHONES.getRegionCodeForCountryCode(countryCode))) {
                if (text.charAt(1 + digits) == '0') {
                    return null;
                }
                PhoneNumber number = new PhoneNumber().setCountryCode(countryCode).setNationalNumber(Long.parseLong(text, 1 + digits, length, 10));
                return PHONES.isValidNumber(number) ? Normalized.of(text) : Normalized.invalid();
            }
        }
        return null;
    }

    /**
     * E.164 without the {@code +}: country code and national number, digits only ({@code 905321234567}). A pre-hashed
     * value passes through: we cannot tell which form it was hashed from, so it is trusted as it is.
     */
    public static Normalized digits(Normalized e164) {
        return e164.mapValue(value -> value.charAt(0) == '+' ? value.substring(1) : value);
    }

    /** The customer's country when libphonenumber knows it, else the default (an unknown region would fail parsing). */
    private static String region(String countryCode) {
        String alpha2 = Countries.alpha2(countryCode);
        return alpha2 != null && PHONES.getSupportedRegions().contains(alpha2) ? alpha2 : DEFAULT_REGION;
    }
}

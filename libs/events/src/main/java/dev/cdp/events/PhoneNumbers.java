package dev.cdp.events;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/**
 * Phone numbers in E.164, by one rule for the suite (profile-service stores and matches them with it; export-service
 * reads what profiles hold with it): libphonenumber's parse, in the customer's country when the number has no country
 * code, and its {@code isValidNumber}. Thread-safe.
 */
public final class PhoneNumbers {

    /** Where a number without a country code is read when the customer has no (usable) country: our home market. */
    public static final String DEFAULT_REGION = "TR";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** What libphonenumber answers for a country calling code that does not exist. */
    private static final String UNKNOWN_REGION = "ZZ";

    private PhoneNumbers() {
    }

    /**
     * The number in E.164 ({@code +905321234567}), or empty when it is not a valid number. A number without a country
     * code is read in {@code country} (a code or a name {@link Countries} knows) when libphonenumber knows it, else in
     * {@code defaultRegion}.
     */
    public static Optional<String> e164(String number, String country, String defaultRegion) {
        Boolean valid = validE164(number);
        if (valid != null) {
            return valid ? Optional.of(number) : Optional.empty();
        }
        try {
            PhoneNumber parsed = PHONES.parse(number, region(country, defaultRegion));
            return PHONES.isValidNumber(parsed) ? Optional.of(PHONES.format(parsed, PhoneNumberFormat.E164)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a number already written in E.164, as profiles store phones, is valid, checked without parsing:
     * libphonenumber's {@code parse} (its regular expressions) was most of an export's CPU. Country calling codes are
     * prefix-free, so the first 1 to 3 digits that name one are it; the rest is the national number, and
     * {@code isValidNumber} decides, exactly as after a parse. Null (parse it) for anything else, and for a national
     * number with a leading zero, which a parse records differently.
     */
    public static Boolean validE164(String text) {
        if (!inE164Form(text)) {
            return null;
        }
        int length = text.length();
        for (int digits = 1; digits <= 3; digits++) {
            int countryCode = Integer.parseInt(text, 1, 1 + digits, 10);
            if (!UNKNOWN_REGION.equals(PHONES.getRegionCodeForCountryCode(countryCode))) {
                if (text.charAt(1 + digits) == '0') {
                    return null;
                }
                PhoneNumber number = new PhoneNumber().setCountryCode(countryCode).setNationalNumber(Long.parseLong(text, 1 + digits, length, 10));
                return PHONES.isValidNumber(number);
            }
        }
        return null;
    }

    /** Whether the text is written as E.164: a {@code +}, a first digit other than 0, then 7 to 14 more digits. */
    public static boolean inE164Form(String text) {
        int length = text.length();
        if (length < 8 || length > 16 || text.charAt(0) != '+' || text.charAt(1) == '0') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The customer's country when libphonenumber knows it, else the default (an unknown region would fail parsing). */
    private static String region(String country, String defaultRegion) {
        return Countries.code(country).filter(PHONES.getSupportedRegions()::contains).orElse(defaultRegion);
    }
}

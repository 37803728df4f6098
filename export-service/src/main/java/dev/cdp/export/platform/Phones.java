package dev.cdp.export.platform;

import dev.cdp.events.PhoneNumbers;

/**
 * Phone numbers as the platforms take them, from the suite's one E.164 rule ({@link PhoneNumbers}, which
 * profile-service stores phones with): E.164 with {@code +} (Google, TikTok's second column) or its digits (Meta,
 * TikTok's first column).
 */
public final class Phones {

    private Phones() {
    }

    /**
     * The number in E.164 ({@code +905321234567}). A number without a country code is read in the customer's country
     * (alpha-2, or a name the suite's country table knows), else in {@link PhoneNumbers#DEFAULT_REGION}. Absent for a
     * blank value, invalid when it is not a valid number; SHA-256 hex passes through.
     */
    public static Normalized e164(String raw, String countryCode) {
        return Text.normalize(raw, stripped -> PhoneNumbers.e164(stripped, countryCode, PhoneNumbers.DEFAULT_REGION)
                .map(Normalized::of).orElseGet(Normalized::invalid));
    }

    /**
     * A phone a profile holds, as the members stream and stored events carry it: profile-service stores a phone only in
     * E.164 and only once it is valid by the suite's rule ({@link PhoneNumbers}), so one in that form is taken as it
     * is, not checked again (the check was a quarter of an export's CPU, docs/performance.md). Any other text is read
     * as {@link #e164} reads it.
     */
    public static Normalized held(String phone, String countryCode) {
        return Text.normalize(phone, stripped -> PhoneNumbers.inE164Form(stripped) ? Normalized.of(stripped) : e164(stripped, countryCode));
    }

    /**
     * E.164 without the {@code +}: country code and national number, digits only ({@code 905321234567}). A pre-hashed
     * value passes through: we cannot tell which form it was hashed from, so it is trusted as it is.
     */
    public static Normalized digits(Normalized e164) {
        return e164.mapValue(value -> value.charAt(0) == '+' ? value.substring(1) : value);
    }
}

package dev.cdp.export.platform;

import java.util.Locale;

/**
 * TikTok customer files ({@code Email_SHA256}, {@code Phone_SHA256}, {@code MAID_*}) and the Events API. TikTok's help
 * pages contradict each other on email dots/{@code +tag} and on the phone {@code +}, so files carry both variants:
 * the primary ({@link #email}, {@link #phone}) and the alternative ({@link #emailStrict}, {@link #phoneWithPlus}).
 * Thread-safe.
 */
public final class TikTokNormalizers {

    private TikTokNormalizers() {
    }

    /** {@code EMAIL_SHA256}, primary: NFKC, trimmed, lower case; nothing removed. */
    public static Normalized email(String raw) {
        return Emails.minimal(raw);
    }

    /** {@code EMAIL_SHA256}, strict: also {@code +tag} and dots removed from the local part, for every domain. */
    public static Normalized emailStrict(String raw) {
        return Emails.strict(raw);
    }

    /** {@code PHONE_SHA256}, primary: E.164 digits without {@code +} (the latest help text and its worked example). */
    public static Normalized phone(String raw, String countryCode) {
        return Phones.digits(Phones.e164(raw, countryCode));
    }

    /** {@code PHONE_SHA256}, alternative and the Events API form: E.164 with {@code +}. */
    public static Normalized phoneWithPlus(String raw, String countryCode) {
        return Phones.e164(raw, countryCode);
    }

    /**
     * {@code MAID}, {@code MAID_SHA256} and {@code MAID_MD5}: trimmed, lower case (TikTok asks for one consistent case;
     * Tealium lower-cases before MD5). 64 hex digits pass through as a pre-hashed SHA-256.
     */
    public static Normalized mobileAdvertiserId(String raw) {
        return Text.normalize(raw, stripped -> Normalized.of(stripped.toLowerCase(Locale.ROOT)));
    }

    /** Events API {@code user.external_id}: trimmed, lower case, then hashed. */
    public static Normalized eventsExternalId(String raw) {
        return Text.normalize(raw, stripped -> Normalized.of(Text.lower(stripped, true)));
    }
}

package dev.cdp.export.platform;

/**
 * The email rules the platforms share and where they part. All start the same: NFKC (full-width and compatibility
 * characters to their plain form), trimmed, lower case with {@code İ} and {@code ı} to {@code i}. A value without a
 * local part and a domain around an {@code @} is invalid: hashing it could never match. Nothing else is repaired (no
 * trailing dot removed, as Meta's Python SDK does): the platforms' rules do not ask for it.
 */
final class Emails {

    private Emails() {
    }

    /** Trimmed and lower-cased only: Meta, and TikTok's first column. */
    static Normalized minimal(String raw) {
        return Text.normalize(raw, stripped -> {
            String email = Text.lower(Text.nfkc(stripped), true);
            return hasLocalPartAndDomain(email) ? Normalized.of(email) : Normalized.invalid();
        });
    }

    /**
     * Google (Data Manager rule): white space removed everywhere; for gmail.com and googlemail.com only, dots and a
     * {@code +suffix} removed from the local part. Other domains keep both. Composed again afterwards (NFKC), since a
     * removal can bring a combining mark next to a letter.
     */
    static Normalized google(String raw) {
        return minimal(raw).mapValue(email -> Text.nfkc(googleForm(email)));
    }

    private static String googleForm(String email) {
        String compact = Text.withoutWhitespace(email);
        int at = compact.lastIndexOf('@');
        if (at <= 0) {
            return "";
        }
        String domain = compact.substring(at + 1);
        if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) {
            return hasLocalPartAndDomain(compact) ? compact : "";
        }
        return withoutTagAndDots(compact, at);
    }

    /**
     * TikTok's strict variant (some of its help versions, and Segment's implementation): {@code +tag} and every dot
     * removed from the local part, for every domain; composed again afterwards, as {@link #google}.
     */
    static Normalized strict(String raw) {
        return minimal(raw).mapValue(email -> Text.nfkc(withoutTagAndDots(email, email.lastIndexOf('@'))));
    }

    /** The local part up to its first {@code +}, without dots, then the domain; empty when no local part is left. */
    private static String withoutTagAndDots(String email, int at) {
        StringBuilder local = new StringBuilder(at);
        for (int i = 0; i < at; i++) {
            char c = email.charAt(i);
            if (c == '+') {
                break;
            }
            if (c != '.') {
                local.append(c);
            }
        }
        return local.length() == 0 ? "" : local.append(email, at, email.length()).toString();
    }

    private static boolean hasLocalPartAndDomain(String email) {
        int at = email.lastIndexOf('@');
        return at > 0 && at < email.length() - 1;
    }
}

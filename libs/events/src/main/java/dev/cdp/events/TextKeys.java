package dev.cdp.events;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forms in which text is stored and compared across the suite, each defined once: profile-service stores with
 * them and segment-service folds what users type with the same method, so both sides always agree. {@link #fold}
 * is the matching form of names ({@code city_normalized}: {@code İSTANBUL}, {@code istanbul} and {@code Istanbul}
 * are one city), {@link #gender} the stored gender, {@link #lower} the stored tier and the matching form of an email
 * address (identity matching, lookups, Kafka keys and the export normalizers' input).
 */
public final class TextKeys {

    /** The detail of a violation for text that is not {@link #storable}. */
    public static final String UNSTORABLE = "holds a character that cannot be stored (U+0000, or half of a surrogate pair)";

    private static final Locale TURKISH = Locale.forLanguageTag("tr");
    private static final char COMBINING_DOT = '\u0307';
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");

    private TextKeys() {
    }

    /**
     * Whether PostgreSQL can store the text (as text or inside jsonb): not the NUL character, and no half of a
     * surrogate pair without its other half. Every service refuses other text where it comes in, with a 400 naming
     * the field, rather than fail on it later.
     */
    public static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The text with each character that is not {@link #storable} replaced by U+FFFD, as invalid UTF-8 in a URL
     * decodes: for records of what was asked (the audit log), which must keep even a request that was refused.
     */
    public static String storableForm(String text) {
        if (storable(text)) {
            return text;
        }
        StringBuilder form = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                form.append(c).append(text.charAt(++i));
            } else {
                form.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return form.toString();
    }

    /** The stored form of a gender: {@code female} or {@code male} for their usual words, else the value folded. */
    public static String gender(String value) {
        String folded = fold(value);
        return switch (folded) {
            case "f", "female", "woman", "k", "kadin" -> "female";
            case "m", "male", "man", "e", "erkek" -> "male";
            default -> folded;
        };
    }

    /**
     * Trimmed, NFC, and lower case by the root locale's rules whatever the machine's locale, with Turkish's dotted
     * capital {@code İ} as {@code i} (the root rule makes it {@code i} and a combining dot, which no one types, and
     * which made {@code İLKER@GMAIL.COM} another address than {@code ilker@gmail.com}); {@code I} is {@code i} and the
     * dotless {@code ı} stays itself. The stored tier, and the email address identities are matched by.
     */
    public static String lower(String value) {
        String lower = Normalizer.normalize(value.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return lower.indexOf(COMBINING_DOT) < 0 ? lower
                : Normalizer.normalize(lower.replace("i" + COMBINING_DOT, "i"), Normalizer.Form.NFC);
    }

    /**
     * Trimmed and upper case by the root locale's rules, whatever the machine's locale: the form of codes (transaction
     * types, ISO currency and country codes), where {@code i} is {@code I} and never {@code İ}.
     */
    public static String code(String value) {
        return value.strip().toUpperCase(Locale.ROOT);
    }

    /** The address as identities match it ({@link #lower}), or empty when it is not an email address. */
    public static Optional<String> email(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String email = lower(value);
        return EMAIL.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }

    /** Lower case with Turkish rules, then letters without accents; spaces and punctuation folded to single spaces. */
    public static String fold(String value) {
        String lower = value.strip().toLowerCase(TURKISH).replace('ı', 'i');
        String ascii = MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFD)).replaceAll("");
        return SEPARATORS.matcher(ascii).replaceAll(" ").strip();
    }
}

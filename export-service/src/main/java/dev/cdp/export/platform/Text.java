package dev.cdp.export.platform;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Text operations every normalizer shares. Case mapping never uses the default locale: a JVM started in Turkish would
 * turn {@code I} into {@code ı} and change every hash. ASCII input skips Unicode normalization, which cannot change it.
 */
final class Text {

    private static final char CAPITAL_DOTTED_I = '\u0130';
    private static final char DOTLESS_I = '\u0131';

    /**
     * Below U+0300 every character is NFC_Quick_Check=Yes (no combining mark, no singleton): a string of them is
     * already in NFC, so most names and cities skip {@link Normalizer} (TextTest checks it). With the table below, the
     * name and city rules went from 29 % of an export's row work to 14 %.
     */
    private static final char FIRST_COMBINING = '\u0300';

    /** The Latin-1 Supplement and Latin Extended-A (up to U+017F): most accented Latin names, Turkish ones included. */
    private static final char LAST_TABLED = '\u017f';

    /** {@link #asciiLettersByDecomposition} of each character from U+0080 to {@link #LAST_TABLED}, computed once. */
    private static final String[] ASCII_SPELLINGS = new String[LAST_TABLED - 0x80 + 1];

    /** Whether each character from U+0080 to {@link #LAST_TABLED} is a letter outside the Latin script (µ is Greek). */
    private static final boolean[] NON_LATIN_LETTER = new boolean[LAST_TABLED - 0x80 + 1];

    static {
        for (char c = 0x80; c <= LAST_TABLED; c++) {
            ASCII_SPELLINGS[c - 0x80] = asciiLettersByDecomposition(String.valueOf(c));
            NON_LATIN_LETTER[c - 0x80] = Character.isLetter(c) && Character.UnicodeScript.of(c) != Character.UnicodeScript.LATIN;
        }
    }

    private Text() {
    }

    /**
     * The value without leading and trailing white space, control characters and invisible format characters (a
     * zero-width space or byte-order mark pasted with an address); null when nothing is left.
     */
    static String strip(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isBlankChar(value.charAt(start))) {
            start++;
        }
        while (end > start && isBlankChar(value.charAt(end - 1))) {
            end--;
        }
        return start == end ? null : value.substring(start, end);
    }

    private static boolean isBlankChar(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT;
    }

    static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String nfc(String value) {
        return isBelow(value, FIRST_COMBINING) ? value : Normalizer.normalize(value, Normalizer.Form.NFC);
    }

    /** True when every character of the value is below {@code limit}. */
    private static boolean isBelow(String value, char limit) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= limit) {
                return false;
            }
        }
        return true;
    }

    static String nfkc(String value) {
        return isAscii(value) ? value : Normalizer.normalize(value, Normalizer.Form.NFKC);
    }

    /**
     * Lower case by {@link Locale#ROOT}, with {@code İ} to {@code i} first (ROOT would give {@code i} plus a combining
     * dot). {@code ı} becomes {@code i} only when asked: right for emails and ASCII folding, wrong for names kept in
     * UTF-8, where {@code yılmaz} is the correct spelling.
     */
    static String lower(String value, boolean dotlessIToI) {
        String mapped = value.replace(CAPITAL_DOTTED_I, 'i');
        if (dotlessIToI) {
            mapped = mapped.replace(DOTLESS_I, 'i');
        }
        return mapped.toLowerCase(Locale.ROOT);
    }

    /**
     * The value transliterated to ASCII and reduced to {@code a-z}: Turkish letters by hand ({@code ı} has no
     * decomposition), other accents stripped by NFKD, the few Latin letters NFKD cannot split spelled out
     * ({@code ß}→{@code ss}, {@code ø}→{@code o}), everything else (digits, spaces, punctuation, other scripts) dropped.
     * Characters up to U+017F are looked up in a table of what that rule gives each one (NFKD decomposes character by
     * character, and only marks, which are dropped, are reordered); a value with any other goes through the rule.
     */
    static String asciiLetters(String value) {
        return isBelow(value, (char) (LAST_TABLED + 1))
                ? asciiLetters(value, c -> ASCII_SPELLINGS[c - 0x80])
                : asciiLettersByDecomposition(value);
    }

    /** {@link #asciiLetters} by its rule: NFKD, then ASCII letters lowered, the Latin letters NFKD leaves whole spelled. */
    static String asciiLettersByDecomposition(String value) {
        return asciiLetters(isAscii(value) ? value : Normalizer.normalize(value, Normalizer.Form.NFKD), c -> latinSpelling((char) c));
    }

    /** The value's ASCII letters in lower case, every character from U+0080 up as {@code spelling} gives it, nothing else. */
    private static String asciiLetters(String value, IntFunction<String> spelling) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) (c + ('a' - 'A')));
            } else if (c >= 0x80) {
                out.append(spelling.apply(c));
            }
        }
        return out.toString();
    }

    /** ASCII for the Latin letters that NFKD leaves whole; empty for anything else. */
    private static String latinSpelling(char c) {
        return switch (c) {
            case DOTLESS_I -> "i";
            case 'ß' -> "ss";
            case 'æ', 'Æ' -> "ae";
            case 'œ', 'Œ' -> "oe";
            case 'ø', 'Ø' -> "o";
            case 'ł', 'Ł' -> "l";
            case 'đ', 'Đ', 'ð', 'Ð' -> "d";
            case 'þ', 'Þ' -> "th";
            default -> "";
        };
    }

    /** True when the value has a letter outside the Latin script (Cyrillic, Arabic, Greek...). */
    static boolean hasNonLatinLetter(String value) {
        if (isBelow(value, (char) (LAST_TABLED + 1))) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x80 && NON_LATIN_LETTER[c - 0x80]) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isLetter(cp) && Character.UnicodeScript.of(cp) != Character.UnicodeScript.LATIN) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /**
     * Letters and combining marks only: punctuation, digits, symbols and spaces removed, then composed again (NFC), since
     * a mark the removal brings next to a letter composes with it ({@code a@\u0307} is {@code ȧ}, as {@code ȧ} is).
     */
    static String lettersOnly(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isLetterOrMark(cp)) {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return nfc(out.toString());
    }

    /**
     * Letters and combining marks, with each run of white space between words kept as one space: punctuation, digits
     * and symbols removed, leading and trailing space dropped, then composed again (as {@link #lettersOnly}).
     */
    static String lettersAndSingleSpaces(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isLetterOrMark(cp)) {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.appendCodePoint(cp);
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = true;
            }
            i += Character.charCount(cp);
        }
        return nfc(out.toString());
    }

    private static boolean isLetterOrMark(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** The value without any white space (inside too). */
    static String withoutWhitespace(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c);
            if (blank && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!blank && out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    /** True for 64 hex digits in either case: a SHA-256 someone already computed. */
    static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    /**
     * What every normalizer does first: a blank value is absent, and one that already is SHA-256 hex passes through
     * lower-cased; anything else goes to {@code rule}, stripped.
     */
    static Normalized normalize(String raw, Function<String, Normalized> rule) {
        String stripped = strip(raw);
        if (stripped == null) {
            return Normalized.absent();
        }
        return isSha256Hex(stripped) ? Normalized.prehashed(stripped) : rule.apply(stripped);
    }
}

package dev.cdp.export.platform;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * ISO 3166-1 alpha-2 codes from what profiles hold: mostly the code itself, sometimes alpha-3 or a name. Names come
 * from the JDK's English names plus a fixed list of the spellings our customers use; Turkish display names are not
 * taken from locale data, which a native image may not carry, so the result is the same on every runtime.
 */
final class Countries {

    private static final Map<String, String> BY_KEY = build();

    private Countries() {
    }

    /** The upper-case alpha-2 code, or null when the value names no country we know. */
    static String alpha2(String value) {
        String stripped = Text.strip(value);
        if (stripped == null) {
            return null;
        }
        if (stripped.length() == 2 && isUpperAscii(stripped.charAt(0)) && isUpperAscii(stripped.charAt(1))) {
            // What profiles hold: skip folding when it is a known code already.
            String known = BY_KEY.get(stripped.toLowerCase(Locale.ROOT));
            if (stripped.equals(known)) {
                return known;
            }
        }
        return BY_KEY.get(Text.asciiLetters(Text.nfc(stripped)));
    }

    private static boolean isUpperAscii(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static Map<String, String> build() {
        Map<String, String> byKey = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale("", code);
            byKey.put(Text.asciiLetters(code), code);
            byKey.put(Text.asciiLetters(country.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                byKey.put(Text.asciiLetters(country.getISO3Country()), code);
            } catch (MissingResourceException e) {
                // No alpha-3 code for this entry; the alpha-2 code and the name still map.
            }
        }
        Map<String, String> aliases = Map.ofEntries(
                Map.entry("Türkiye", "TR"),
                Map.entry("Turkey", "TR"),
                Map.entry("Türkiye Cumhuriyeti", "TR"),
                Map.entry("United States", "US"),
                Map.entry("United States of America", "US"),
                Map.entry("USA", "US"),
                Map.entry("U.S.A.", "US"),
                Map.entry("Amerika Birleşik Devletleri", "US"),
                Map.entry("ABD", "US"),
                Map.entry("United Kingdom", "GB"),
                Map.entry("UK", "GB"),
                Map.entry("Great Britain", "GB"),
                Map.entry("England", "GB"),
                Map.entry("İngiltere", "GB"),
                Map.entry("Birleşik Krallık", "GB"),
                Map.entry("Almanya", "DE"),
                Map.entry("Fransa", "FR"),
                Map.entry("Hollanda", "NL"),
                Map.entry("Holland", "NL"),
                Map.entry("Azerbaycan", "AZ"),
                Map.entry("Kıbrıs", "CY"),
                Map.entry("KKTC", "CY"));
        aliases.forEach((name, code) -> byKey.put(Text.asciiLetters(name), code));
        return Map.copyOf(byKey);
    }
}

package dev.cdp.events;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.Set;

/**
 * ISO 3166-1 alpha-2 codes from how people and files name a country: its alpha-2 or alpha-3 code, its English name,
 * or a Turkish or other name in common use, in any case and with or without accents and punctuation. One table for
 * the suite (profile-service cleans the country it stores with it; export-service reads what profiles hold with it).
 * Turkish names come from a fixed list rather than the JDK's locale data, which a native image may not carry, so the
 * answer is the same on every runtime.
 */
public final class Countries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());
    private static final Map<String, String> BY_KEY = build();

    private Countries() {
    }

    /** The upper-case alpha-2 code of the country {@code value} names, or empty. */
    public static Optional<String> code(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() == 2 && isUpperAscii(value.charAt(0)) && isUpperAscii(value.charAt(1)) && CODES.contains(value)) {
            return Optional.of(value); // what profiles hold: a code already, answered without folding
        }
        return Optional.ofNullable(BY_KEY.get(key(value)));
    }

    private static boolean isUpperAscii(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Letters and digits only, folded: {@code U.S.A.}, {@code usa} and {@code USA} are one key. */
    private static String key(String name) {
        return TextKeys.fold(name).replace(" ", "");
    }

    private static Map<String, String> build() {
        Map<String, String> byKey = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale("", code);
            byKey.put(key(country.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                byKey.put(key(country.getISO3Country()), code);
            } catch (MissingResourceException e) {
                // No alpha-3 code for this entry; the alpha-2 code and the name still map.
            }
        }
        Map.ofEntries(
                Map.entry("Türkiye", "TR"), Map.entry("Turkey", "TR"), Map.entry("Türkiye Cumhuriyeti", "TR"),
                Map.entry("United States", "US"), Map.entry("United States of America", "US"), Map.entry("USA", "US"),
                Map.entry("Amerika Birleşik Devletleri", "US"), Map.entry("ABD", "US"), Map.entry("Amerika", "US"),
                Map.entry("United Kingdom", "GB"), Map.entry("UK", "GB"), Map.entry("Great Britain", "GB"), Map.entry("England", "GB"),
                Map.entry("İngiltere", "GB"), Map.entry("Birleşik Krallık", "GB"),
                Map.entry("Almanya", "DE"), Map.entry("Fransa", "FR"), Map.entry("Hollanda", "NL"), Map.entry("Holland", "NL"),
                Map.entry("Belçika", "BE"), Map.entry("Avusturya", "AT"), Map.entry("İsviçre", "CH"), Map.entry("İtalya", "IT"),
                Map.entry("İspanya", "ES"), Map.entry("Yunanistan", "GR"), Map.entry("Bulgaristan", "BG"), Map.entry("Romanya", "RO"),
                Map.entry("Polonya", "PL"), Map.entry("Danimarka", "DK"), Map.entry("İsveç", "SE"), Map.entry("Norveç", "NO"),
                Map.entry("Rusya", "RU"), Map.entry("Ukrayna", "UA"), Map.entry("Gürcistan", "GE"), Map.entry("Azerbaycan", "AZ"),
                Map.entry("İran", "IR"), Map.entry("Irak", "IQ"), Map.entry("Suriye", "SY"), Map.entry("Mısır", "EG"),
                Map.entry("Suudi Arabistan", "SA"), Map.entry("Birleşik Arap Emirlikleri", "AE"), Map.entry("Katar", "QA"),
                Map.entry("Kazakistan", "KZ"), Map.entry("Özbekistan", "UZ"), Map.entry("Türkmenistan", "TM"),
                Map.entry("Kırgızistan", "KG"), Map.entry("Kıbrıs", "CY"), Map.entry("KKTC", "CY"), Map.entry("Japonya", "JP"),
                Map.entry("Çin", "CN"), Map.entry("Kanada", "CA"))
                .forEach((name, code) -> byKey.put(key(name), code));
        CODES.forEach(code -> byKey.put(key(code), code)); // a code is itself last, so no name can shadow it
        return Map.copyOf(byKey);
    }
}

package dev.cdp.events;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The folded form of names matched across the suite, such as {@code city_normalized} in the profile read model:
 * profile-service writes it and segment-service folds what users type the same way, so {@code İSTANBUL},
 * {@code istanbul} and {@code Istanbul} are one city.
 */
public final class TextKeys {

    private static final Locale TURKISH = Locale.forLanguageTag("tr");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");

    private TextKeys() {
    }

    /** Lower case with Turkish rules, then letters without accents; spaces and punctuation folded to single spaces. */
    public static String fold(String value) {
        String lower = value.strip().toLowerCase(TURKISH).replace('ı', 'i');
        String ascii = MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFD)).replaceAll("");
        return SEPARATORS.matcher(ascii).replaceAll(" ").strip();
    }
}

package dev.cdp.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traits a profile keeps as fields of its own (and indexes, matches or searches by), and the longest text each may
 * hold: ingestion-service refuses a longer one where it comes in, so nothing it accepted fails in profile-service.
 */
public final class ProfileTraits {

    /**
     * The longest text of a profile field or an identifier, in characters. At 4 bytes a character it stays well below
     * what one PostgreSQL index entry holds (2,704 bytes), and above what any real name, city or card number needs.
     */
    public static final int MAX_LENGTH = 255;

    /**
     * Each field with where it is read from: the first of these JSON paths (within an identify call's traits) that
     * holds a value; Segment's reserved names first, then the flat forms files use.
     */
    public static final Map<String, List<String>> PATHS = paths();

    private ProfileTraits() {
    }

    private static Map<String, List<String>> paths() {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        paths.put("firstName", List.of("firstName"));
        paths.put("lastName", List.of("lastName"));
        paths.put("name", List.of("name"));
        paths.put("email", List.of("email"));
        paths.put("phone", List.of("phone"));
        paths.put("birthday", List.of("birthday"));
        paths.put("gender", List.of("gender"));
        paths.put("city", List.of("address/city", "city"));
        paths.put("state", List.of("address/state", "state"));
        paths.put("postalCode", List.of("address/postalCode", "postalCode", "zip"));
        paths.put("country", List.of("address/country", "country"));
        paths.put("segment", List.of("segment"));
        paths.put("loyaltyCard", List.of("loyaltyCard"));
        return Collections.unmodifiableMap(paths);
    }
}

package dev.cdp.ingestion.service;

import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.config.IngestionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web origins each source accepts browser calls from ({@code cdp.ingestion.allowed-origins}, environment variable
 * {@code CDP_ALLOWED_ORIGINS}): {@code source=origin origin ...} pairs separated by commas, such as
 * {@code web=https://www.example.com https://*.example.com,app=*}. An origin may hold {@code *} for any run of host
 * or port characters ({@code https://*.example.com}, {@code http://localhost:*}); {@code *} alone is any origin. A
 * source that is not listed takes no browser calls: server-side and mobile libraries send no {@code Origin} and are
 * not affected.
 */
@ApplicationScoped
public class AllowedOrigins {

    private static final int MAX_ORIGIN_LENGTH = 2048;
    /** What a source's name may be, wherever one is given (CDP_WRITE_KEYS, CDP_ALLOWED_ORIGINS, /write-keys). */
    public static final Pattern SOURCE = Pattern.compile("[a-z0-9_-]{1,64}");

    private final Map<String, List<Pattern>> bySource;

    public AllowedOrigins(IngestionConfig config) {
        this.bySource = parse(config.allowedOrigins().orElse(""));
    }

    /** Whether a browser page at {@code origin} may send with {@code source}'s write key. */
    public boolean allows(String source, String origin) {
        return matches(bySource.getOrDefault(source, List.of()), origin);
    }

    /** Whether a browser page at {@code origin} may send with this key: its own origins, else its source's. */
    public boolean allows(WriteKeys.Key key, String origin) {
        return key.origins().isEmpty() ? allows(key.source(), origin) : matches(key.origins(), origin);
    }

    /**
     * Whether some source accepts {@code origin}: a preflight carries no write key, so it is answered for the origin
     * alone, and the call that follows is checked against its own source.
     */
    public boolean allowsAny(String origin) {
        return bySource.values().stream().anyMatch(patterns -> matches(patterns, origin));
    }

    /** Whether {@code origin} matches one of the patterns. */
    static boolean matches(List<Pattern> patterns, String origin) {
        if (origin == null || origin.length() > MAX_ORIGIN_LENGTH) {
            return false;
        }
        String lower = TextKeys.lower(origin);
        return patterns.stream().anyMatch(pattern -> pattern.matcher(lower).matches());
    }

    /** Parses the setting; fails at start-up on a pair that is not {@code source=origin ...}, naming it. */
    static Map<String, List<Pattern>> parse(String setting) {
        Map<String, List<Pattern>> bySource = new HashMap<>();
        if (setting.isBlank()) {
            return Map.of();
        }
        for (String pair : setting.split(",")) {
            String[] parts = pair.trim().split("=", 2);
            String source = parts[0].trim();
            if (parts.length != 2 || !SOURCE.matcher(source).matches() || parts[1].isBlank()) {
                throw new IllegalArgumentException("CDP_ALLOWED_ORIGINS must be source=origin pairs separated by commas "
                        + "(several origins of one source separated by spaces); the pair '" + pair.trim() + "' is not");
            }
            List<Pattern> patterns = bySource.computeIfAbsent(source, key -> new ArrayList<>());
            try {
                patterns.addAll(patterns(parts[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CDP_ALLOWED_ORIGINS, source " + source + ": " + e.getMessage());
            }
        }
        bySource.replaceAll((source, patterns) -> List.copyOf(patterns));
        return Map.copyOf(bySource);
    }

    /** Space-separated origins as patterns (none for blank); an {@link IllegalArgumentException} names one that is not. */
    public static List<Pattern> patterns(String origins) {
        List<Pattern> patterns = new ArrayList<>();
        for (String origin : origins.strip().split("\\s+")) {
            if (!origin.isEmpty()) {
                patterns.add(pattern(origin));
            }
        }
        return List.copyOf(patterns);
    }

    /** An origin with {@code *} wildcards as a pattern; {@code *} never matches a '/' or ':' of the scheme. */
    private static Pattern pattern(String origin) {
        if (origin.equals("*")) {
            return Pattern.compile(".*");
        }
        if (!origin.matches("(?i)https?://[a-z0-9.*\\[\\]:-]+") && !origin.equals("null")) {
            throw new IllegalArgumentException("'" + origin
                    + "' is not an origin such as https://www.example.com (scheme and host, optionally a port, no path)");
        }
        StringBuilder regex = new StringBuilder();
        for (String part : TextKeys.lower(origin).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[a-z0-9.-]*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}

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
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9_-]{1,64}");

    private final Map<String, List<Pattern>> bySource;

    public AllowedOrigins(IngestionConfig config) {
        this.bySource = parse(config.allowedOrigins().orElse(""));
    }

    /** Whether a browser page at {@code origin} may send with {@code source}'s write key. */
    public boolean allows(String source, String origin) {
        return matches(bySource.getOrDefault(source, List.of()), origin);
    }

    /**
     * Whether some source accepts {@code origin}: a preflight carries no write key, so it is answered for the origin
     * alone, and the call that follows is checked against its own source.
     */
    public boolean allowsAny(String origin) {
        return bySource.values().stream().anyMatch(patterns -> matches(patterns, origin));
    }

    private static boolean matches(List<Pattern> patterns, String origin) {
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
            for (String origin : parts[1].trim().split("\\s+")) {
                patterns.add(pattern(source, origin));
            }
        }
        bySource.replaceAll((source, patterns) -> List.copyOf(patterns));
        return Map.copyOf(bySource);
    }

    /** An origin with {@code *} wildcards as a pattern; {@code *} never matches a '/' or ':' of the scheme. */
    private static Pattern pattern(String source, String origin) {
        if (origin.equals("*")) {
            return Pattern.compile(".*");
        }
        if (!origin.matches("(?i)https?://[a-z0-9.*\\[\\]:-]+") && !origin.equals("null")) {
            throw new IllegalArgumentException("CDP_ALLOWED_ORIGINS: '" + origin + "' of source " + source
                    + " is not an origin such as https://www.example.com (scheme and host, optionally a port, no path)");
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

package dev.cdp.ingestion.service;

import dev.cdp.ingestion.config.IngestionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Maps a write key to the source it belongs to (web, app, pos, ...). Keys are secrets: never logged. */
@ApplicationScoped
public class WriteKeys {

    private final Map<String, String> sourceByKey;

    public WriteKeys(IngestionConfig config) {
        this.sourceByKey = parse(config.writeKeys());
    }

    public Optional<String> sourceOf(String writeKey) {
        return writeKey == null ? Optional.empty() : Optional.ofNullable(sourceByKey.get(writeKey));
    }

    /** Parses {@code source=key,source=key}; fails at start-up on anything else, naming the pair but not the key. */
    static Map<String, String> parse(String pairs) {
        Map<String, String> sourceByKey = new HashMap<>();
        for (String pair : pairs.split(",")) {
            String[] parts = pair.trim().split("=", 2);
            String source = parts[0].trim();
            if (parts.length != 2 || !source.matches("[a-z0-9_-]{1,64}") || parts[1].isBlank()) {
                throw new IllegalArgumentException("CDP_WRITE_KEYS must be source=key pairs separated by commas, with a source "
                        + "of 1-64 lower-case letters, digits, '_' or '-'; the pair for source '" + source + "' is not");
            }
            if (sourceByKey.put(parts[1].trim(), source) != null) {
                throw new IllegalArgumentException("CDP_WRITE_KEYS gives the same key to two sources (" + source + ")");
            }
        }
        return Map.copyOf(sourceByKey);
    }
}

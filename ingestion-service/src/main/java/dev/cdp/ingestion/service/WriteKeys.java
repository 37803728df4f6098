package dev.cdp.ingestion.service;

import dev.cdp.ingestion.config.IngestionConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which source a write key belongs to, and what it may do. Two kinds of key:
 * <ul>
 * <li>configured ones ({@code CDP_WRITE_KEYS}), fixed for the life of the process, without a rate limit;</li>
 * <li>managed ones (the {@code /write-keys} API), reloaded from the database every few seconds
 * ({@code cdp.ingestion.write-key-reload}) and at once on the replica that changed them, so a new, rotated or revoked
 * key takes effect without a restart. Calls never wait on the database: while it is away, the keys last loaded serve.</li>
 * </ul>
 * Keys are secrets: never logged; managed ones are held by their SHA-256.
 */
@ApplicationScoped
public class WriteKeys {

    /** A usable key: its id (null for a configured one), source, own origins (empty: its source's), rate (0: none). */
    public record Key(String id, String source, List<Pattern> origins, int ratePerSecond) {
    }

    private record Managed(Key key, Instant expiresAt) {
    }

    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Key> configured;
    private final Pool pool;
    private volatile Map<String, Managed> managedByHash = Map.of();

    public WriteKeys(IngestionConfig config, Pool pool) {
        this.configured = parse(config.writeKeys().orElse(""));
        this.pool = pool;
    }

    void loadAtStart(@Observes StartupEvent start) {
        reload().await().atMost(LOAD_TIMEOUT);
    }

    @Scheduled(every = "${cdp.ingestion.write-key-reload}", delayed = "${cdp.ingestion.write-key-reload}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledReload() {
        return reload().onFailure().invoke(e -> Log.warnf("Cannot reload the write keys (the last loaded stay in use): %s",
                e.getMessage())).onFailure().recoverWithNull();
    }

    /** Loads the managed keys that are neither revoked nor expired. */
    public Uni<Void> reload() {
        return pool.query("SELECT id, source, key_hash, allowed_origins, rate_per_second, expires_at FROM ingestion.write_keys "
                        + "WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())")
                .execute()
                .invoke(rows -> {
                    Map<String, Managed> loaded = new HashMap<>();
                    for (Row row : rows) {
                        Key key = new Key(row.getUUID("id").toString(), row.getString("source"),
                                AllowedOrigins.patterns(row.getString("allowed_origins")), row.getInteger("rate_per_second"));
                        loaded.put(row.getString("key_hash"), new Managed(key,
                                row.getOffsetDateTime("expires_at") == null ? null : row.getOffsetDateTime("expires_at").toInstant()));
                    }
                    managedByHash = Map.copyOf(loaded);
                })
                .replaceWithVoid();
    }

    public Optional<Key> resolve(String writeKey) {
        if (writeKey == null) {
            return Optional.empty();
        }
        Key key = configured.get(writeKey);
        if (key != null) {
            return Optional.of(key);
        }
        Managed managed = managedByHash.get(hash(writeKey));
        if (managed == null || managed.expiresAt() != null && !managed.expiresAt().isAfter(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(managed.key());
    }

    public Optional<String> sourceOf(String writeKey) {
        return resolve(writeKey).map(Key::source);
    }

    /** Whether some managed key lets a browser page at {@code origin} send (a preflight carries no key). */
    public boolean anyKeyAllows(String origin) {
        return managedByHash.values().stream().anyMatch(managed -> AllowedOrigins.matches(managed.key().origins(), origin));
    }

    /** Hex SHA-256: how a managed key is stored and found. */
    public static String hash(String writeKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(writeKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code source=key,source=key}; fails at start-up on anything else, naming the pair but not the key. */
    static Map<String, Key> parse(String pairs) {
        Map<String, Key> byKey = new HashMap<>();
        if (pairs.isBlank()) {
            return Map.of();
        }
        for (String pair : pairs.split(",")) {
            String[] parts = pair.trim().split("=", 2);
            String source = parts[0].trim();
            if (parts.length != 2 || !AllowedOrigins.SOURCE.matcher(source).matches() || parts[1].isBlank()) {
                throw new IllegalArgumentException("CDP_WRITE_KEYS must be source=key pairs separated by commas, with a source "
                        + "of 1-64 lower-case letters, digits, '_' or '-'; the pair for source '" + source + "' is not");
            }
            if (byKey.put(parts[1].trim(), new Key(null, source, List.of(), 0)) != null) {
                throw new IllegalArgumentException("CDP_WRITE_KEYS gives the same key to two sources (" + source + ")");
            }
        }
        return Map.copyOf(byKey);
    }
}

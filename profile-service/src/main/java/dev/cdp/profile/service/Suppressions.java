package dev.cdp.profile.service;

import dev.cdp.profile.config.ProfileConfig;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.EventReader.Read;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * The suppression list: identifiers of erased customers, whose events are dropped on arrival instead of creating the
 * person again. Held as keyed hashes ({@link #hash}); every writer checks its batch against them inside its own
 * transaction, after {@link #fence}, so an erasure and a batch never overlap: the erasure waits for the batches under
 * way, and batches that start after it see its suppressions.
 */
@ApplicationScoped
public class Suppressions {

    /** The advisory lock writers hold shared and an erasure takes exclusive while it records its suppressions. */
    private static final long FENCE = 0x6364_7073_7570_7072L; // "cdpsuppr"

    private final byte[] key;
    private final ThreadLocal<HmacUtils> hmacs;
    private final Counter dropped;
    private volatile Snapshot snapshot = new Snapshot(0, Set.of());

    public Suppressions(ProfileConfig config, MeterRegistry registry) {
        this.key = config.suppressionKey().getBytes(StandardCharsets.UTF_8);
        this.hmacs = ThreadLocal.withInitial(() -> new HmacUtils(HmacAlgorithms.HMAC_SHA_256, key));
        this.dropped = Counter.builder("cdp.profile.events.suppressed")
                .description("Messages dropped because they name an erased (suppressed) identifier").register(registry);
    }

    /** HMAC-SHA256 of {@code type:value}, the value as identities hold it. */
    public byte[] hash(Identity identity) {
        return hmacs.get().hmac(identity.type().name() + ":" + identity.value());
    }

    /**
     * In an erasure's transaction, before it reads whom to suppress: waits for the batches being stored and holds new
     * ones back until the transaction ends.
     */
    public Uni<Void> exclusive(SqlClient transaction) {
        return transaction.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(FENCE)).replaceWithVoid();
    }

    /**
     * In a writer's transaction, before it stores anything: waits while an erasure records its suppressions, then
     * brings the list up to date (only rows added since the last batch are read).
     */
    Uni<Snapshot> fence(SqlClient transaction) {
        // Two statements: each reads what was committed when it started, so the version is read after the wait.
        return transaction.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(FENCE))
                .chain(() -> transaction.query("SELECT coalesce(max(id), 0) AS version FROM profile.suppressions").execute())
                .chain(rows -> {
                    long version = rows.iterator().next().getLong("version");
                    Snapshot known = snapshot;
                    if (version == known.version()) {
                        return Uni.createFrom().item(known);
                    }
                    return transaction.preparedQuery("SELECT id, hash FROM profile.suppressions WHERE id > $1")
                            .execute(Tuple.of(known.version()))
                            .map(added -> {
                                Set<ByteBuffer> hashes = new HashSet<>(known.hashes());
                                long newest = known.version();
                                for (Row row : added) {
                                    hashes.add(ByteBuffer.wrap(row.getBuffer("hash").getBytes()));
                                    newest = Math.max(newest, row.getLong("id"));
                                }
                                Snapshot updated = new Snapshot(newest, Set.copyOf(hashes));
                                snapshot = updated;
                                return updated;
                            });
                });
    }

    /** The messages that name no suppressed identifier; the others are counted and dropped. */
    List<Read> kept(List<Read> reads, Snapshot current) {
        if (current.hashes().isEmpty()) {
            return reads;
        }
        List<Read> kept = new ArrayList<>(reads.size());
        for (Read read : reads) {
            if (names(read, current)) {
                dropped.increment();
            } else {
                kept.add(read);
            }
        }
        return kept;
    }

    private boolean names(Read read, Snapshot current) {
        for (Identity identity : read.identifiers()) {
            if (current.holds(hash(identity))) {
                return true;
            }
        }
        String previousId = read.previousId(); // an alias's earlier id, a userId or an anonymousId
        return previousId != null && (current.holds(hash(new Identity(IdentityType.userId, previousId)))
                || current.holds(hash(new Identity(IdentityType.anonymousId, previousId))));
    }

    /** The list as of {@code version}, the highest suppression id read. */
    record Snapshot(long version, Set<ByteBuffer> hashes) {

        boolean holds(byte[] hash) {
            return hashes.contains(ByteBuffer.wrap(hash));
        }
    }
}

package dev.cdp.profile.service;

import dev.cdp.profile.config.ProfileConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;

/**
 * Deletes raw events (bronze) stored longer ago than {@code cdp.profile.raw-event-retention}, in the background. Each
 * round deletes at most {@link #BATCH} of the oldest rows, found through the primary key (ids grow with the time
 * of storing), in its own short transaction, and pauses between rounds: the consumer's inserts at the other end of
 * the table never wait on it for long. Silver and gold keep what was built from those events; a message redelivered
 * after its raw event expired would be stored again (docs/security.md, retention).
 */
@ApplicationScoped
public class RawEventRetention {

    static final int BATCH = 5_000;
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final Pool pool;
    private final Duration retention;
    private final Counter expired;

    public RawEventRetention(Pool pool, ProfileConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.retention = config.rawEventRetention();
        this.expired = Counter.builder("cdp.profile.raw.events.expired").description("Raw events deleted for their age")
                .register(registry);
    }

    @Scheduled(every = "${cdp.profile.retention-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expire().invoke(count -> {
            if (count > 0) {
                Log.infof("Deleted %d raw events stored before %s (retention %s)", count, Instant.now().minus(retention), retention);
            }
        }).onFailure().invoke(e -> Log.warnf("Raw event retention failed, next round at the next interval: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes every raw event stored before now minus the retention; answers how many. */
    public Uni<Long> expire() {
        Tuple cutoff = Tuple.of(Instant.now().minus(retention).atOffset(ZoneOffset.UTC));
        return Multi.createBy().repeating().uni(() -> deleteOldest(cutoff))
                .whilst(deleted -> deleted > 0)
                .onItem().call(deleted -> Uni.createFrom().voidItem().onItem().delayIt().by(PAUSE))
                .collect().with(Collectors.summingLong(Long::longValue));
    }

    /** The oldest rows by id, those of them stored before the cutoff. */
    private Uni<Long> deleteOldest(Tuple cutoff) {
        return pool.preparedQuery("DELETE FROM profile.raw_events WHERE id IN (SELECT id FROM profile.raw_events ORDER BY id LIMIT "
                        + BATCH + ") AND stored_at < $1")
                .execute(cutoff)
                .map(rows -> (long) rows.rowCount())
                .invoke(deleted -> expired.increment(deleted));
    }
}

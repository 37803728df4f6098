package dev.cdp.profile.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.profile.privacy.ErasureRepository.Claimed;
import dev.cdp.security.ServiceToken;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Carries erasures through their steps, one at a time per erasure, from any replica (a step is taken with a lease and
 * is safe to run again):
 * <ol>
 * <li>PROFILE: every row of the customers deleted from bronze, silver and gold ({@link ErasureRepository#eraseProfiles});
 * <li>SEGMENTS: segment-service re-evaluates them, so they leave every segment (their exits reach the syncs);
 * <li>EXPORTS: export-service removes them from retained files and sends their removals to every destination that
 * holds them; this step reports until export-service says it is complete.
 * </ol>
 * A step that cannot go on (a service unreachable, a destination that needs attention) waits and says why in
 * {@code waitingFor}; it is tried again with a growing pause.
 */
@ApplicationScoped
public class Erasures {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final int STEPS_PER_ROUND = 50;

    private final ErasureRepository repository;
    private final SegmentServiceApi segments;
    private final ExportServiceApi exports;
    private final ServiceToken token;

    public Erasures(ErasureRepository repository, @RestClient SegmentServiceApi segments, @RestClient ExportServiceApi exports,
            ServiceToken token) {
        this.repository = repository;
        this.segments = segments;
        this.exports = exports;
        this.token = token;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advance() {
        for (int i = 0; i < STEPS_PER_ROUND; i++) {
            Optional<Claimed> next;
            try {
                next = repository.claim(LEASE).await().atMost(TIMEOUT);
            } catch (RuntimeException e) {
                Log.warnf("Could not take the next erasure step: %s", e.getMessage());
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            step(next.get());
        }
    }

    private void step(Claimed erasure) {
        String service = "profile-service";
        try {
            switch (erasure.step()) {
                case "PROFILE" -> {
                    Map<String, Integer> deleted = repository.eraseProfiles(erasure.id(), erasure.customers()).await().atMost(TIMEOUT);
                    repository.stepDone(erasure.id(), "profile", Map.of("rowsDeleted", deleted), "SEGMENTS").await().atMost(TIMEOUT);
                    Log.infof("Erasure %s: %d customers' rows deleted", erasure.id(), erasure.customers().size());
                }
                case "SEGMENTS" -> {
                    service = "segment-service";
                    int left = 0;
                    for (var customer : erasure.customers()) {
                        left += segments.refresh(customer, token.header().await().atMost(TIMEOUT)).await().atMost(TIMEOUT).size();
                    }
                    Map<String, Object> report = new LinkedHashMap<>();
                    report.put("customersReevaluated", erasure.customers().size());
                    report.put("membershipsLeft", left);
                    if (left == 0) {
                        repository.stepDone(erasure.id(), "segments", report, "EXPORTS").await().atMost(TIMEOUT);
                    } else {
                        repository.waiting(erasure.id(), "segment-service still holds " + left + " memberships", "segments", report,
                                backoff(erasure.attempts()), true).await().atMost(TIMEOUT);
                    }
                }
                case "EXPORTS" -> {
                    service = "export-service";
                    JsonNode report = erasure.customers().isEmpty() ? null
                            : exports.erase(erasure.id(), new ExportServiceApi.Customers(erasure.customers()),
                                    token.header().await().atMost(TIMEOUT)).await().atMost(TIMEOUT);
                    if (report == null || "COMPLETED".equals(report.path("status").asText())) {
                        repository.complete(erasure.id(), "exports", report).await().atMost(TIMEOUT);
                        Log.infof("Erasure %s completed", erasure.id());
                    } else {
                        String why = report.path("waitingFor").asText(null);
                        repository.waiting(erasure.id(), why != null ? why : "export-service: removals under way", "exports", report,
                                POLL, false).await().atMost(TIMEOUT);
                    }
                }
                default -> throw new IllegalStateException("an erasure at step " + erasure.step());
            }
        } catch (RuntimeException e) {
            String why = service + ": " + describe(e);
            Log.warnf("Erasure %s waits at step %s: %s", erasure.id(), erasure.step(), why);
            try {
                repository.waiting(erasure.id(), why, null, null, backoff(erasure.attempts()), true).await().atMost(TIMEOUT);
            } catch (RuntimeException stored) {
                Log.warnf("Erasure %s: could not record why it waits (%s); it is taken again when its lease ends", erasure.id(),
                        stored.getMessage());
            }
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof WebApplicationException answered) {
            return "answered " + answered.getResponse().getStatus();
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** 2 s, 4 s, 8 s ... up to a minute. */
    private static Duration backoff(int attempts) {
        long seconds = 2L << Math.min(attempts, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }
}

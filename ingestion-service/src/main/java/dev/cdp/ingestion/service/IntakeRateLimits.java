package dev.cdp.ingestion.service;

import dev.cdp.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages per second per managed write key, on this replica: a token bucket that holds one second of the key's rate
 * and refills continuously. A call is let through while the bucket holds a token and takes one token per message (a
 * batch may take it below zero, so batches larger than a second's worth still pass, and the key then waits); otherwise
 * a 429 problem says when to send again. One runaway client uses up its own key's bucket, not the others'.
 */
@ApplicationScoped
public class IntakeRateLimits {

    private static final class Bucket {
        private final double rate;
        private double tokens;
        private long refilledAt;

        Bucket(double rate, long now) {
            this.rate = rate;
            this.tokens = rate;
            this.refilledAt = now;
        }

        /** Seconds to wait before trying again, or 0 when the messages were admitted. */
        synchronized long take(int messages, long now) {
            tokens = Math.min(rate, tokens + (now - refilledAt) / 1e9 * rate);
            refilledAt = now;
            if (tokens < 1) {
                return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
            }
            tokens -= messages;
            return 0;
        }
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Admits {@code messages} for the key, or throws a 429 problem with {@code Retry-After}. */
    public void admit(WriteKeys.Key key, int messages) {
        if (key.ratePerSecond() <= 0 || messages <= 0) {
            return;
        }
        long now = System.nanoTime();
        // A changed rate takes a new bucket.
        Bucket bucket = buckets.compute(key.id(), (id, current) -> current == null || current.rate != key.ratePerSecond()
                ? new Bucket(key.ratePerSecond(), now) : current);
        long wait = bucket.take(messages, now);
        if (wait > 0) {
            throw new ProblemException(Status.TOO_MANY_REQUESTS, "rate-limited", "This write key may send "
                    + key.ratePerSecond() + " messages a second; send again in " + wait + " s")
                    .withHeader("Retry-After", String.valueOf(wait));
        }
    }
}

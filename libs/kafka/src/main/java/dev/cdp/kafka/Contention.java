package dev.cdp.kafka;

/**
 * Another writer changed what a batch was planned on first: the work is rolled back and planned again on fresh data,
 * after a short random pause, without counting as a failure.
 */
public class Contention extends RuntimeException {

    private final String reason;

    /** @param reason in a word, for the metrics (for example {@code claimed}, {@code merged}) */
    public Contention(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

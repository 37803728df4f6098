package dev.cdp.profile.service;

/**
 * Another writer changed what this batch was planned on (it claimed an identifier, or merged a customer, first). The
 * transaction is rolled back and the batch planned again on fresh data.
 */
public class WriteConflict extends RuntimeException {

    private final String reason;

    /** @param reason in a word, for the metrics: {@code claimed} or {@code merged} */
    public WriteConflict(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

package dev.cdp.profile.service;

import dev.cdp.kafka.Contention;

/**
 * Another writer changed what this batch was planned on (it claimed an identifier, or merged a customer, first). The
 * transaction is rolled back and the batch planned again on fresh data.
 */
public class WriteConflict extends Contention {

    /** @param reason in a word, for the metrics: {@code claimed} or {@code merged} */
    public WriteConflict(String reason, String message) {
        super(reason, message);
    }
}

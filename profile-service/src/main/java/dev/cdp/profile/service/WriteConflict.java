package dev.cdp.profile.service;

/**
 * Another writer changed what this batch was planned on (it claimed an identifier, or merged a customer, first). The
 * transaction is rolled back and the batch planned again on fresh data.
 */
public class WriteConflict extends RuntimeException {

    public WriteConflict(String reason) {
        super(reason, null, false, false);
    }
}

package dev.cdp.export.domain;

import java.time.Instant;

/**
 * The consent an export or a sync run relied on: only members whose profile held {@code channel} consent granted when
 * their data was read ({@code asOf}) were sent. Each customer's consent history ({@code GET /profiles/{id}/consents}
 * on profile-service) says what that state was and where it came from.
 */
public record ConsentBasis(String channel, Instant asOf) {

    /** Ad platforms get only customers who allow advertising. */
    public static final String ADVERTISING = "advertising";

    /** The basis of a job or run that read its members at {@code readAt}; none before it read any. */
    public static ConsentBasis advertisingAsOf(Instant readAt) {
        return readAt == null ? null : new ConsentBasis(ADVERTISING, readAt);
    }
}

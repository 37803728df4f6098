package dev.cdp.export.conversion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A destination's conversion forwarding as the API shows it.
 *
 * @param sendsTo the pixel, pixel code or conversion action the events go to (the destination's setting)
 * @param defaultRules whether {@code rules} are the platform's defaults (none were set)
 * @param stats what happened to the events so far
 */
public record ConversionView(UUID destinationId, boolean enabled, Instant enabledAt, String sendsTo, String testEventCode,
        boolean defaultRules, List<ConversionRule> rules, Stats stats, Instant updatedAt) {

    /**
     * @param sent accepted by the platform
     * @param failed refused by the platform, or failing after every retry: see the dead letters
     * @param dropped not sent on purpose, by reason: {@code no_consent}, {@code too_old}, {@code no_identifiers},
     *     {@code disabled}, {@code too_old_when_sent}
     * @param queued waiting to be sent
     * @param lagSeconds how long the oldest waiting event has waited since the intake accepted it (0 when none waits)
     */
    public record Stats(long sent, long failed, Map<String, Long> dropped, long queued, double lagSeconds) {
    }
}

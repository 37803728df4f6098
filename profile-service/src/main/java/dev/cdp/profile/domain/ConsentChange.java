package dev.cdp.profile.domain;

import java.time.Instant;

/**
 * One consent change as it was received: the channel (email, sms, advertising, ...), granted or withdrawn, the
 * source that sent it and the message that carried it.
 */
public record ConsentChange(long id, String channel, boolean granted, String source, String messageId, Instant occurredAt) {
}

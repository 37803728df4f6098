package dev.cdp.profile.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A customer's profile as the API shows it: clean fields, identities, consents, facts and data-quality issues. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(UUID customerId, String firstName, String lastName, String email, String emailNormalized,
        String phone, String phoneE164, LocalDate birthDate, Integer age, String gender, String city, String state,
        String postalCode, String countryCode, String segment, String loyaltyCard, JsonNode preferences,
        Map<String, Consent> consents, List<Identity> identities, Facts facts, List<QualityIssue> qualityIssues,
        Instant createdAt, Instant updatedAt, Instant lastSeenAt) {

    /** The current consent on one channel, and the change that set it. */
    public record Consent(boolean granted, Instant changedAt, String source) {
    }

    /** Per-customer facts, kept current as data arrives. */
    public record Facts(long transactionCount, BigDecimal transactionTotal, Map<String, TypeFacts> transactionsByType,
            Instant firstTransactionAt, Instant lastTransactionAt, long interactionCount, Instant lastInteractionAt,
            Map<String, Long> eventCounts) {
    }

    public record TypeFacts(long count, BigDecimal total) {
    }

    /** A value that could not be cleaned, kept with where it came from. */
    public record QualityIssue(String field, String value, String problem, String source, Instant occurredAt) {
    }
}

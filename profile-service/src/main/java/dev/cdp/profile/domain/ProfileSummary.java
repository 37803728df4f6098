package dev.cdp.profile.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** One customer in a search result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileSummary(UUID customerId, String firstName, String lastName, String email, String city,
        String countryCode, String segment, Instant updatedAt) {
}

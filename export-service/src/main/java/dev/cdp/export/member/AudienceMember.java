package dev.cdp.export.member;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One member of a segment as segment-service streams it (NDJSON, one object per line, property names as the
 * components). Identifiers are in clear, as the profile holds them; export-service normalizes and hashes them per
 * platform. {@code countryCode} is ISO 3166-1 alpha-2 in upper case or null; {@code phone} is in E.164 as profile-service
 * validated it when it stored it (a hand-made member's typed number is read and checked as the platforms' rules say).
 * This is PII: never log it.
 */
@RegisterForReflection // read by Jackson from the members stream, in native images too
public record AudienceMember(UUID customerId, String email, String phone, String firstName, String lastName,
        LocalDate birthDate, String gender, String city, String state, String postalCode, String countryCode,
        boolean consentAdvertising, boolean consentEmail, boolean consentSms, List<String> userIds) {

    public AudienceMember {
        // A null element must not fail a whole export: it carries nothing.
        if (userIds == null || userIds.isEmpty()) {
            userIds = List.of(); // most members: no stream per member
        } else {
            userIds = userIds.stream().filter(Objects::nonNull).toList();
        }
    }

    /** The customer id only: the generated form would put PII into any log or exception message that prints it. */
    @Override
    public String toString() {
        return "AudienceMember[customerId=" + customerId + "]";
    }
}

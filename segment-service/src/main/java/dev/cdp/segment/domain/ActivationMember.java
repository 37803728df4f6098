package dev.cdp.segment.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A member with what activation needs: the identifiers ad platforms match on (as the profile holds them: email
 * lower-cased, phone in E.164, in clear; export-service normalizes and hashes them per platform) and the consents that
 * allow using them. This is PII: the stream is for export-service, not for browsers.
 */
public record ActivationMember(UUID customerId, String email, String phone, String firstName, String lastName, LocalDate birthDate,
        String gender, String city, String state, String postalCode, String countryCode, Boolean consentAdvertising,
        Boolean consentEmail, Boolean consentSms, List<String> userIds) {
}

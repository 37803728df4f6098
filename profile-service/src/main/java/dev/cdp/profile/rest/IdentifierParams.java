package dev.cdp.profile.rest;

import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.Cleaning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one identifier a request names (a lookup, an erasure), checked and put in the form identities hold it: email
 * lower case, phone E.164, the others trimmed.
 */
public final class IdentifierParams {

    static final int MAX_VALUE_LENGTH = 255;

    private IdentifierParams() {
    }

    /** Exactly one of the values must be given (blank counts as not given); {@code region} reads local phone numbers. */
    public static Identity exactlyOne(String userId, String anonymousId, String email, String phone, String loyaltyCard, String region) {
        Map<IdentityType, String> given = new LinkedHashMap<>();
        put(given, IdentityType.userId, userId);
        put(given, IdentityType.anonymousId, anonymousId);
        put(given, IdentityType.email, email);
        put(given, IdentityType.phone, phone);
        put(given, IdentityType.loyaltyCard, loyaltyCard);
        if (given.size() != 1) {
            throw invalid(given.isEmpty() ? "userId" : given.keySet().iterator().next().name(),
                    "give exactly one of userId, anonymousId, email, phone or loyaltyCard");
        }
        Map.Entry<IdentityType, String> identifier = given.entrySet().iterator().next();
        checkLength(identifier.getKey().name(), identifier.getValue());
        String value = switch (identifier.getKey()) {
            case email -> Cleaning.email(identifier.getValue()).orElseThrow(() -> invalid("email", "is not an email address"));
            case phone -> Cleaning.phoneE164(identifier.getValue(), region).orElseThrow(() -> invalid("phone", "is not a valid phone number"));
            default -> identifier.getValue().strip();
        };
        return new Identity(identifier.getKey(), value);
    }

    public static boolean anyGiven(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        return false;
    }

    public static void checkLength(String field, String value) {
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
            throw invalid(field, "must be at most " + MAX_VALUE_LENGTH + " characters");
        }
    }

    public static ProblemException invalid(String field, String detail) {
        return ProblemException.invalid(List.of(new Violation(field, detail)));
    }

    private static void put(Map<IdentityType, String> given, IdentityType type, String value) {
        if (value != null && !value.isBlank()) {
            given.put(type, value);
        }
    }
}

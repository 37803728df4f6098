package dev.cdp.security;

import java.util.List;
import java.util.Map;

/**
 * The suite's roles, as the identity provider puts them in the token ({@code groups}, else Keycloak's
 * {@code realm_access.roles}). Higher roles imply the lower ones here, in one place, so that a company's identity
 * provider only has to assign each person one role.
 */
public final class Roles {

    /** Counts, sizes, definitions, job and run reports: no personal data. */
    public static final String VIEWER = "viewer";
    /** Segments, exports, syncs; profiles with personal data masked. */
    public static final String MARKETER = "marketer";
    /** Destinations and their credentials, write keys, erasure, the audit log. */
    public static final String ADMIN = "admin";
    /** Personal data unmasked in profile responses, and the members' identifiers. */
    public static final String PII_READER = "pii-reader";
    /** Another service of the suite, authenticated with the client-credentials flow. */
    public static final String SERVICE = "service";

    /** Every role, highest first (a person's roles as the console lists them). */
    public static final List<String> ALL = List.of(ADMIN, MARKETER, VIEWER, PII_READER, SERVICE);

    /** What each role implies. Personal data is never implied: {@code admin} does not read it without {@code pii-reader}. */
    static final Map<String, List<String>> IMPLIED = Map.of(
            ADMIN, List.of(MARKETER, VIEWER),
            MARKETER, List.of(VIEWER),
            PII_READER, List.of(VIEWER));

    private Roles() {
    }
}

package dev.cdp.profile.domain;

/** The kinds of identifier a customer is known by; the names are stored as they are. */
public enum IdentityType {
    userId, anonymousId, email, phone, loyaltyCard
}

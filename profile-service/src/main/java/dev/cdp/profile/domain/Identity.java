package dev.cdp.profile.domain;

/** One identifier of a customer. */
public record Identity(IdentityType type, String value) {
}

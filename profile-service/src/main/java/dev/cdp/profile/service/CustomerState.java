package dev.cdp.profile.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A customer's profile while a batch is applied: its columns, and when each field was last set. A field is set only
 * by a message at least as recent as the one that set it before, so messages applied in any order give the same
 * profile (later wins by message time, not by arrival).
 */
public final class CustomerState {

    /** The profile fields, each with the columns it sets. */
    public static final Map<String, List<String>> FIELDS = Map.ofEntries(
            Map.entry("first_name", List.of("first_name")),
            Map.entry("last_name", List.of("last_name")),
            Map.entry("email", List.of("email", "email_normalized")),
            Map.entry("phone", List.of("phone", "phone_e164")),
            Map.entry("birth_date", List.of("birth_date")),
            Map.entry("gender", List.of("gender")),
            Map.entry("city", List.of("city", "city_normalized")),
            Map.entry("state", List.of("state")),
            Map.entry("postal_code", List.of("postal_code")),
            Map.entry("country", List.of("country_code")),
            Map.entry("segment", List.of("segment")),
            Map.entry("loyalty_card", List.of("loyalty_card")),
            Map.entry("preferences", List.of("preferences")),
            Map.entry("consent.email", List.of("consent_email")),
            Map.entry("consent.sms", List.of("consent_sms")),
            Map.entry("consent.advertising", List.of("consent_advertising")));

    /** Every profile column, in the order the repository reads and writes them. */
    public static final List<String> COLUMNS = List.of("first_name", "last_name", "email", "email_normalized", "phone",
            "phone_e164", "birth_date", "gender", "city", "city_normalized", "state", "postal_code", "country_code",
            "segment", "loyalty_card", "preferences", "consent_email", "consent_sms", "consent_advertising");

    private final UUID id;
    private final boolean existing;
    private final Map<String, Object> columns;
    private final Map<String, Instant> fieldTimes;
    private final TreeSet<String> changes = new TreeSet<>();

    public CustomerState(UUID id, boolean existing, Map<String, Object> columns, Map<String, Instant> fieldTimes) {
        this.id = id;
        this.existing = existing;
        this.columns = new HashMap<>(columns);
        this.fieldTimes = new HashMap<>(fieldTimes);
    }

    public static CustomerState created(UUID id) {
        return new CustomerState(id, false, Map.of(), Map.of());
    }

    /**
     * Sets a field's columns ({@code values} in the order of {@link #FIELDS}) when {@code at} is not older than the
     * time the field was last set. Returns whether the stored values changed.
     */
    public boolean set(String field, Instant at, Object... values) {
        Instant previous = fieldTimes.get(field);
        if (previous != null && at.isBefore(previous)) {
            return false;
        }
        fieldTimes.put(field, at);
        List<String> fieldColumns = FIELDS.get(field);
        boolean changed = false;
        for (int i = 0; i < fieldColumns.size(); i++) {
            Object old = columns.put(fieldColumns.get(i), values[i]);
            changed |= !Objects.equals(old, values[i]);
        }
        return changed;
    }

    /** Takes every field {@code other} set more recently (a merge). */
    public void absorb(CustomerState other) {
        other.fieldTimes.forEach((field, at) -> {
            Object[] values = FIELDS.get(field).stream().map(other.columns::get).toArray();
            set(field, at, values);
        });
    }

    /** Whether the customers row must be written: a new customer, or a changed profile, consent or merge. */
    public boolean rowChanged() {
        return !existing || changes.contains("profile") || changes.contains("consent") || changes.contains("merge");
    }

    public void changed(String kind) {
        changes.add(kind);
    }

    public UUID id() {
        return id;
    }

    public boolean existing() {
        return existing;
    }

    public Object column(String column) {
        return columns.get(column);
    }

    public Map<String, Instant> fieldTimes() {
        return fieldTimes;
    }

    public List<String> changes() {
        return List.copyOf(changes);
    }
}

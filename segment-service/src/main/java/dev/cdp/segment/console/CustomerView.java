package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.segment.domain.Membership;
import io.quarkus.qute.TemplateData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A customer's page, built from profile-service's answers (already masked there unless the reader holds pii-reader)
 * and the segments they are in; every number and time written for the reader's language.
 */
@TemplateData
public record CustomerView(String customerId, String name, String email, String phone, String birthDate, String age, String gender,
        String city, String state, String postalCode, String country, String tier, String loyaltyCard, String createdAt,
        String lastSeenAt, List<Pair> identities, List<Consent> consents, List<Pair> facts, List<Pair> eventCounts,
        List<SegmentEntry> segments, List<Entry> timeline) {

    /** A label and a value. */
    @TemplateData
    public record Pair(String label, String value) {
    }

    @TemplateData
    public record Consent(String channel, Boolean granted, String changedAt, String source) {
    }

    @TemplateData
    public record SegmentEntry(String id, String name, String enteredAt) {
    }

    /** One line of the timeline: a purchase or an interaction. */
    @TemplateData
    public record Entry(Instant at, String when, String iso, boolean purchase, String what, String detail, String amount, String channel) {
    }

    static CustomerView of(JsonNode profile, JsonNode transactions, JsonNode interactions, List<Membership> memberships,
            ConsoleFormat fmt) {
        List<Pair> identities = new ArrayList<>();
        profile.path("identities").forEach(identity -> identities.add(new Pair(identity.path("type").asText(), identity.path("value").asText())));
        List<Consent> consents = new ArrayList<>();
        profile.path("consents").properties().forEach(consent -> consents.add(new Consent(consent.getKey(),
                consent.getValue().path("granted").isBoolean() ? consent.getValue().path("granted").asBoolean() : null,
                fmt.dateTime(ConsoleFormat.instant(consent.getValue().path("changedAt"))), consent.getValue().path("source").asText(""))));
        JsonNode facts = profile.path("facts");
        List<Pair> factList = List.of(
                new Pair("transactionCount", fmt.number(facts.path("transactionCount").asLong())),
                new Pair("transactionTotal", fmt.money(decimal(facts.path("transactionTotal")), "TRY")),
                new Pair("lastTransaction", fmt.dateTime(ConsoleFormat.instant(facts.path("lastTransactionAt")))),
                new Pair("interactions", fmt.number(facts.path("interactionCount").asLong())));
        List<Pair> eventCounts = new ArrayList<>();
        facts.path("eventCounts").properties().forEach(count -> eventCounts.add(new Pair(count.getKey(), fmt.number(count.getValue().asLong()))));
        List<SegmentEntry> segments = memberships.stream()
                .map(m -> new SegmentEntry(m.segmentId().toString(), m.segmentName(), fmt.dateTime(m.enteredAt()))).toList();

        List<Entry> timeline = new ArrayList<>();
        transactions.path("items").forEach(t -> {
            Instant at = ConsoleFormat.instant(t.path("occurredAt"));
            timeline.add(new Entry(at, fmt.dateTime(at), fmt.iso(at), true, t.path("type").asText(),
                    t.path("storeId").asText(""), fmt.money(decimal(t.path("amount")), t.path("currency").asText("TRY")), t.path("source").asText("")));
        });
        interactions.path("items").forEach(i -> {
            Instant at = ConsoleFormat.instant(i.path("occurredAt"));
            String what = i.path("event").asText(i.path("name").asText(i.path("type").asText()));
            String detail = i.path("name").isTextual() && i.path("event").isTextual() ? i.path("name").asText() : i.path("category").asText("");
            timeline.add(new Entry(at, fmt.dateTime(at), fmt.iso(at), false, what, detail, "", i.path("channel").asText("")));
        });
        timeline.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.reverseOrder())));

        String name = fullName(profile);
        return new CustomerView(profile.path("customerId").asText(), name, text(profile, "email"), text(profile, "phone"),
                text(profile, "birthDate"), profile.path("age").isNumber() ? fmt.number(profile.path("age").asInt()) : "",
                text(profile, "gender"), text(profile, "city"), text(profile, "state"), text(profile, "postalCode"),
                text(profile, "countryCode"), text(profile, "segment"), text(profile, "loyaltyCard"),
                fmt.dateTime(ConsoleFormat.instant(profile.path("createdAt"))), fmt.dateTime(ConsoleFormat.instant(profile.path("lastSeenAt"))), identities, consents,
                factList, eventCounts, segments, timeline);
    }

    /** A line of a search result. */
    @TemplateData
    public record Summary(String customerId, String name, String email, String city, String tier, String updatedAt) {

        static List<Summary> of(JsonNode page, ConsoleFormat fmt) {
            List<Summary> summaries = new ArrayList<>();
            page.path("items").forEach(p -> summaries.add(new Summary(p.path("customerId").asText(),
                    fullName(p), text(p, "email"), text(p, "city"), text(p, "segment"),
                    fmt.dateTime(ConsoleFormat.instant(p.path("updatedAt"))))));
            return summaries;
        }

        static List<Summary> of(JsonNode profile) {
            return List.of(new Summary(profile.path("customerId").asText(), fullName(profile),
                    text(profile, "email"), text(profile, "city"), text(profile, "segment"), ""));
        }
    }

    /** First and last name as profile-service answered them (masked unless the reader holds pii-reader). */
    private static String fullName(JsonNode profile) {
        return (text(profile, "firstName") + " " + text(profile, "lastName")).strip();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }


    private static BigDecimal decimal(JsonNode value) {
        return value.isNumber() ? value.decimalValue() : value.isTextual() ? new BigDecimal(value.asText()) : null;
    }
}

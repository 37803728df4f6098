package dev.cdp.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.BatchPlanner.Plan;
import dev.cdp.profile.service.BatchPlanner.Stored;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Identity stitching, merges, later-wins profiles and facts, worked out without a database. */
class BatchPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private final Map<Identity, UUID> owners = new HashMap<>();
    private final Map<UUID, Set<Identity>> identitiesOf = new HashMap<>();
    private final Map<UUID, CustomerState> states = new HashMap<>();
    private final List<Stored> batch = new ArrayList<>();
    private long rawEventId;

    @Test
    void createsACustomerFromAnIdentifyWithCleanFieldsIdentitiesAndConsents() throws Exception {
        ObjectNode identify = message("identify", "u-1", null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("firstName", " Ayşe ").put("email", "Ayse@Example.COM").put("phone", "0532 111 22 33")
                .put("birthday", "1990-05-17").put("segment", "Premium").putObject("address").put("city", "İSTANBUL").put("country", "Türkiye");
        consent(identify, true, false);
        add(identify);

        Plan plan = plan();

        CustomerState customer = plan.customers().get(0);
        assertThat(customer.column("first_name")).isEqualTo("Ayşe");
        assertThat(customer.column("email")).isEqualTo("Ayse@Example.COM");
        assertThat(customer.column("email_normalized")).isEqualTo("ayse@example.com");
        assertThat(customer.column("phone_e164")).isEqualTo("+905321112233");
        assertThat(customer.column("birth_date")).isEqualTo(LocalDate.of(1990, 5, 17));
        assertThat(customer.column("segment")).isEqualTo("premium");
        assertThat(customer.column("city")).isEqualTo("İSTANBUL");
        assertThat(customer.column("city_normalized")).isEqualTo("istanbul");
        assertThat(customer.column("country_code")).isEqualTo("TR");
        assertThat(customer.column("consent_advertising")).isEqualTo(true);
        assertThat(plan.identities()).extracting(row -> row.identity())
                .containsExactlyInAnyOrder(id(IdentityType.userId, "u-1"), id(IdentityType.email, "ayse@example.com"),
                        id(IdentityType.phone, "+905321112233"));
        assertThat(plan.consents()).extracting(c -> c.channel() + "=" + c.granted()).containsExactlyInAnyOrder("advertising=true", "email=false");
        assertThat(customer.changes()).contains("profile", "consent", "identity");
    }

    @Test
    void keepsTheLaterValueByMessageTimeWhateverTheOrderOfArrival() throws Exception {
        UUID customer = existing(IdentityType.userId, "u-1");
        ObjectNode newer = message("identify", "u-1", null, "2026-11-20T12:00:00Z");
        newer.putObject("traits").put("firstName", "Newer");
        consent(newer, false, true);
        ObjectNode older = message("identify", "u-1", null, "2026-11-20T09:00:00Z");
        older.putObject("traits").put("firstName", "Older").put("lastName", "Only-In-Older");
        consent(older, true, true);
        add(newer);
        add(older);

        CustomerState state = plan().customers().get(0);

        assertThat(state.id()).isEqualTo(customer);
        assertThat(state.column("first_name")).isEqualTo("Newer");
        assertThat(state.column("last_name")).isEqualTo("Only-In-Older");
        assertThat(state.column("consent_advertising")).isEqualTo(false);
    }

    @Test
    void givesAnAnonymousVisitorTheUserIdTheyIdentifyWith() throws Exception {
        UUID visitor = existing(IdentityType.anonymousId, "a-1");
        add(message("identify", "u-1", "a-1", "2026-11-20T12:00:00Z"));

        Plan plan = plan();

        assertThat(plan.mergedInto()).isEmpty();
        assertThat(plan.identities()).extracting(row -> row.customerId()).containsOnly(visitor);
        assertThat(plan.identities()).extracting(row -> row.identity()).containsExactly(id(IdentityType.userId, "u-1"));
    }

    @Test
    void mergesAnAnonymousProfileIntoTheKnownCustomerAndRecomputesTheirFacts() throws Exception {
        UUID visitor = existing(IdentityType.anonymousId, "a-1");
        UUID known = existing(IdentityType.userId, "u-1");
        add(message("track", "u-1", "a-1", "2026-11-20T12:00:00Z").put("event", "product_view"));

        Plan plan = plan();

        assertThat(plan.mergedInto()).containsExactly(Map.entry(visitor, known));
        assertThat(plan.recomputeFacts()).containsExactly(known);
        assertThat(plan.interactions()).extracting(row -> row.customerId()).containsOnly(known);
        assertThat(plan.mergedFrom()).containsEntry(known, List.of(visitor));
        assertThat(plan.customers()).extracting(CustomerState::id).containsExactly(known);
    }

    @Test
    void mergesAStoredAnonymousProfileIntoACustomerTheBatchCreates() throws Exception {
        UUID visitor = existing(IdentityType.email, "deniz@example.com");
        ObjectNode identify = message("identify", "u-new", "a-new", "2026-11-20T12:00:00Z");
        identify.putObject("traits").put("email", "deniz@example.com");
        add(message("track", "u-new", "a-new", "2026-11-20T11:00:00Z").put("event", "app_open"));
        add(identify);

        Plan plan = plan();

        UUID created = plan.interactions().get(0).customerId();
        assertThat(plan.mergedInto()).containsExactly(Map.entry(visitor, created));
        assertThat(plan.customers()).extracting(CustomerState::id).containsExactly(created);
        assertThat(plan.customers().get(0).existing()).isFalse();
    }

    @Test
    void neverMergesTwoKnownCustomersSharingADevice() throws Exception {
        UUID first = existing(IdentityType.userId, "u-1", IdentityType.anonymousId, "shared-tablet");
        add(message("track", "u-2", "shared-tablet", "2026-11-20T12:00:00Z").put("event", "app_open"));

        Plan plan = plan();

        assertThat(plan.mergedInto()).isEmpty();
        UUID second = plan.interactions().get(0).customerId();
        assertThat(second).isNotEqualTo(first);
        assertThat(plan.identities()).extracting(row -> row.identity()).containsExactly(id(IdentityType.userId, "u-2"));
        assertThat(plan.issues()).extracting(issue -> issue.problem()).containsExactly("already belongs to another customer");
    }

    @Test
    void joinsPurchasesKnownByEmailToTheCustomerWhoLaterIdentifiesWithIt() throws Exception {
        UUID shopper = existing(IdentityType.email, "mehmet@example.com");
        ObjectNode identify = message("identify", "u-9", null, "2026-11-21T08:00:00Z");
        identify.putObject("traits").put("email", "Mehmet@Example.com");
        add(identify);

        Plan plan = plan();

        assertThat(plan.mergedInto()).isEmpty();
        assertThat(plan.identities()).extracting(row -> row.customerId()).containsOnly(shopper);
    }

    @Test
    void anAliasMergesThePreviousIdsCustomer() throws Exception {
        UUID previous = existing(IdentityType.anonymousId, "old-device");
        UUID current = existing(IdentityType.userId, "u-1");
        add(message("alias", "u-1", null, "2026-11-20T12:00:00Z").put("previousId", "old-device"));

        assertThat(plan().mergedInto()).containsExactly(Map.entry(previous, current));
    }

    @Test
    void sumsTransactionsAndInteractionsIntoFactDeltas() throws Exception {
        add(transaction("u-1", "FUEL", "1250.40", "2026-11-20T08:00:00Z"));
        add(transaction("u-1", "FUEL", "900", "2026-11-22T08:00:00Z"));
        add(transaction("u-1", "MARKET", "45.10", "2026-11-21T08:00:00Z"));
        add(message("page", "u-1", null, "2026-11-23T08:00:00Z"));
        add(message("page", "u-1", null, "2026-11-24T08:00:00Z"));

        Plan plan = plan();

        var facts = plan.facts().values().iterator().next();
        assertThat(facts.transactionCount).isEqualTo(3);
        assertThat(facts.transactionTotal).isEqualByComparingTo("2195.50");
        assertThat(facts.countByType).containsEntry("FUEL", 2L).containsEntry("MARKET", 1L);
        assertThat(facts.totalByType.get("FUEL")).isEqualByComparingTo(new BigDecimal("2150.40"));
        assertThat(facts.firstTransactionAt).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(facts.lastTransactionAt).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(facts.interactionCount).isEqualTo(2);
        assertThat(plan.eventCounts().values().iterator().next().get("page_view").count).isEqualTo(2);
    }

    @Test
    void recordsAConsentChangeOnlyWhenTheConsentChanges() throws Exception {
        ObjectNode first = message("track", "u-1", null, "2026-11-20T10:00:00Z").put("event", "e");
        consent(first, true, true);
        ObjectNode same = message("track", "u-1", null, "2026-11-20T11:00:00Z").put("event", "e");
        consent(same, true, true);
        ObjectNode withdrawn = message("track", "u-1", null, "2026-11-20T12:00:00Z").put("event", "e");
        consent(withdrawn, false, true);
        add(first);
        add(same);
        add(withdrawn);

        assertThat(plan().consents()).extracting(c -> c.channel() + "=" + c.granted() + "@" + c.occurredAt())
                .containsExactly("email=true@2026-11-20T10:00:00Z", "advertising=true@2026-11-20T10:00:00Z",
                        "advertising=false@2026-11-20T12:00:00Z");
    }

    @Test
    void recordsValuesItCannotCleanAsQualityIssues() throws Exception {
        ObjectNode identify = message("identify", "u-1", null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("email", "not-an-email").put("phone", "123").put("birthday", "17/05/1990").put("country", "Atlantis");
        add(identify);

        Plan plan = plan();

        assertThat(plan.issues()).extracting(issue -> issue.field() + ": " + issue.problem()).containsExactlyInAnyOrder(
                "email: is not an email address", "phone: is not a valid phone number",
                "birthday: is not a plausible date (yyyy-MM-dd)", "country: is not a known country name or ISO code");
        assertThat(plan.customers().get(0).column("email")).isEqualTo("not-an-email");
    }

    private Plan plan() {
        return new BatchPlanner(TODAY, owners, identitiesOf, states).plan(batch);
    }

    private UUID existing(Object... typesAndValues) {
        UUID customer = UUID.randomUUID();
        Set<Identity> identities = new HashSet<>();
        for (int i = 0; i < typesAndValues.length; i += 2) {
            Identity identity = id((IdentityType) typesAndValues[i], (String) typesAndValues[i + 1]);
            owners.put(identity, customer);
            identities.add(identity);
        }
        identitiesOf.put(customer, identities);
        states.put(customer, new CustomerState(customer, true, Map.of(), Map.of()));
        return customer;
    }

    private void add(ObjectNode payload) throws dev.cdp.kafka.Unreadable {
        RawEvent event = new RawEvent(UUID.randomUUID().toString(), "web", payload.get("type").asText(),
                payload.path("userId").asText(null), payload.path("anonymousId").asText(null),
                Instant.parse(payload.get("timestamp").asText()), Instant.now(), RawEvent.SCHEMA_VERSION, payload);
        batch.add(new Stored(EventReader.read(event, payload.toString().getBytes(StandardCharsets.UTF_8), "TR"), ++rawEventId));
    }

    private static ObjectNode message(String type, String userId, String anonymousId, String timestamp) {
        ObjectNode message = JSON.createObjectNode().put("type", type).put("timestamp", timestamp);
        if (userId != null) {
            message.put("userId", userId);
        }
        if (anonymousId != null) {
            message.put("anonymousId", anonymousId);
        }
        return message;
    }

    private static ObjectNode transaction(String userId, String type, String amount, String timestamp) {
        return message("transaction", userId, null, timestamp).put("transactionId", UUID.randomUUID().toString())
                .put("transactionType", type).put("amount", amount).put("currency", "TRY");
    }

    private static void consent(ObjectNode message, boolean advertising, boolean email) {
        message.putObject("context").putObject("consent").putObject("categoryPreferences")
                .put("advertising", advertising).put("email", email);
    }

    private static Identity id(IdentityType type, String value) {
        return new Identity(type, value);
    }
}

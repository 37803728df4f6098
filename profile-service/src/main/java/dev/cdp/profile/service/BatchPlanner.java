package dev.cdp.profile.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.StoredEvent.Person;
import dev.cdp.events.TextKeys;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.EventReader.InteractionFact;
import dev.cdp.profile.service.EventReader.Read;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Works out, in memory, what a batch of new messages does to the profiles: which customer each message is about
 * (stitching identities, merging profiles), the new profile values, and every row to write. Pure logic: the
 * repository loads what it needs and writes what it returns, in one transaction.
 *
 * <p>Identity rules. A message belongs to the customer of its most telling known identifier (userId, email, phone,
 * loyalty card, anonymousId), or to a new customer; its unknown identifiers join that customer. When two of its
 * identifiers belong to two customers, they are merged unless both have a userId (two people sharing a device or an
 * address are not one customer); the one with a userId wins. An alias merges previousId's customer into userId's.
 */
public final class BatchPlanner {

    /** A message that is new (its raw event row was just inserted). */
    public record Stored(Read read, long rawEventId) {
    }

    public record NewIdentity(Identity identity, UUID customerId) {
    }

    public record InteractionRow(UUID customerId, long rawEventId, InteractionFact fact, String source, Instant occurredAt) {
    }

    public record TransactionRow(UUID customerId, long rawEventId, String transactionId, String type, BigDecimal amount,
            String currency, String storeId, String itemsJson, String source, Instant occurredAt) {
    }

    public record ConsentChange(UUID customerId, String channel, boolean granted, String source, String messageId, Instant occurredAt) {
    }

    public record QualityIssue(UUID customerId, String field, String value, String problem, String source, String messageId,
            Instant occurredAt) {
    }

    /** Additions to a customer's facts. */
    public static final class FactsDelta {
        public long transactionCount;
        public BigDecimal transactionTotal = BigDecimal.ZERO;
        public final Map<String, Long> countByType = new HashMap<>();
        public final Map<String, BigDecimal> totalByType = new HashMap<>();
        public Instant firstTransactionAt;
        public Instant lastTransactionAt;
        public long interactionCount;
        public Instant lastInteractionAt;
    }

    /** Additions to a customer's count of one event name. */
    public static final class EventCountDelta {
        public long count;
        public Instant firstAt;
        public Instant lastAt;
    }

    /** Everything to write for a batch. */
    public record Plan(List<CustomerState> customers, Map<UUID, UUID> mergedInto, List<NewIdentity> identities,
            List<InteractionRow> interactions, List<TransactionRow> transactions, List<ConsentChange> consents,
            List<QualityIssue> issues, Set<UUID> recomputeFacts, Map<UUID, FactsDelta> facts,
            Map<UUID, Map<String, EventCountDelta>> eventCounts, Map<UUID, List<UUID>> mergedFrom, List<StoredEvent> storedEvents) {
    }

    /** An interaction or transaction to forward once stored, with the advertising consent its customer had then. */
    private record Forward(Read read, UUID customerId, boolean advertisingConsent) {
    }

    private final LocalDate today;
    private final Map<Identity, UUID> owners;
    private final Map<UUID, Set<Identity>> identitiesOf;
    private final Map<UUID, CustomerState> states;
    private final Map<UUID, UUID> mergedInto = new LinkedHashMap<>();
    private final Map<UUID, List<UUID>> mergedFrom = new HashMap<>();
    private final List<NewIdentity> newIdentities = new ArrayList<>();
    private final List<InteractionRow> interactions = new ArrayList<>();
    private final List<TransactionRow> transactions = new ArrayList<>();
    private final List<ConsentChange> consents = new ArrayList<>();
    private final List<QualityIssue> issues = new ArrayList<>();
    private final List<Forward> forwards = new ArrayList<>();
    private final Set<UUID> touched = new LinkedHashSet<>();

    /**
     * @param owners the customer of every known identifier the batch mentions
     * @param identitiesOf every identifier of those customers
     * @param states those customers' profiles
     */
    public BatchPlanner(LocalDate today, Map<Identity, UUID> owners, Map<UUID, Set<Identity>> identitiesOf,
            Map<UUID, CustomerState> states) {
        this.today = today;
        this.owners = new HashMap<>(owners);
        this.identitiesOf = new HashMap<>();
        identitiesOf.forEach((customer, ids) -> this.identitiesOf.put(customer, new HashSet<>(ids)));
        this.states = new HashMap<>(states);
    }

    public Plan plan(List<Stored> messages) {
        return plan(messages, List.of());
    }

    /**
     * Plans the new messages; {@code repeated} are interactions and transactions stored before (a redelivery after a
     * crash may have lost their stored events): they change nothing, but are sent again with their customer as the
     * store has them now, and that customer's consent as it stands.
     */
    public Plan plan(List<Stored> messages, List<Read> repeated) {
        for (Stored message : messages) {
            apply(message);
        }
        for (Read read : repeated) {
            UUID customer = read.identifiers().stream().map(this::owner).filter(Objects::nonNull).findFirst().orElse(null);
            if (customer != null && states.containsKey(live(customer))) {
                forwards.add(new Forward(read, customer, Boolean.TRUE.equals(states.get(live(customer)).column("consent_advertising"))));
            }
        }
        return finish();
    }

    private void apply(Stored message) {
        Read read = message.read();
        RawEvent event = read.event();
        UUID customer = customerOf(read);
        if (read.previousId() != null) {
            customer = alias(customer, read.previousId());
        }
        CustomerState state = states.get(customer);
        touched.add(customer);
        if (!read.traits().isEmpty() || read.preferences() != null) {
            applyTraits(state, read);
        }
        applyConsents(state, read);
        if (read.interaction() != null) {
            var fact = read.interaction();
            interactions.add(new InteractionRow(customer, message.rawEventId(), fact, event.source(), event.occurredAt()));
            state.changed("interaction");
        }
        if (read.transaction() != null) {
            var fact = read.transaction();
            transactions.add(new TransactionRow(customer, message.rawEventId(), fact.transactionId(), fact.type(),
                    fact.amount(), fact.currency(), fact.storeId(), fact.itemsJson(), event.source(), event.occurredAt()));
            state.changed("transaction");
        }
        if (read.interaction() != null || read.transaction() != null) {
            forwards.add(new Forward(read, customer, Boolean.TRUE.equals(state.column("consent_advertising"))));
        }
    }

    /** The customer the message is about, claiming its unknown identifiers and merging where they disagree. */
    private UUID customerOf(Read read) {
        UUID primary = null;
        for (Identity identity : read.identifiers()) {
            primary = owner(identity);
            if (primary != null) {
                break;
            }
        }
        Identity userId = read.identifiers().get(0).type() == IdentityType.userId ? read.identifiers().get(0) : null;
        if (primary != null && userId != null && owner(userId) == null && hasUserId(primary)) {
            primary = null; // a new user on a known user's device (or address): a customer of their own
        }
        if (primary == null) {
            primary = UUID.randomUUID();
            states.put(primary, CustomerState.created(primary));
            identitiesOf.put(primary, new HashSet<>());
            states.get(primary).changed("profile");
        }
        for (Identity identity : read.identifiers()) {
            UUID owner = owner(identity);
            if (owner == null) {
                claim(identity, primary);
            } else if (!owner.equals(primary)) {
                if (hasUserId(owner) && hasUserId(primary)) {
                    issue(primary, read, identity.type().name(), identity.value(), "already belongs to another customer");
                } else {
                    primary = hasUserId(owner) ? merge(primary, owner) : merge(owner, primary);
                }
            }
        }
        return primary;
    }

    /** An alias: previousId (an anonymousId, or a userId being replaced) joins the customer of userId. */
    private UUID alias(UUID customer, String previousId) {
        UUID previous = owner(new Identity(IdentityType.anonymousId, previousId));
        if (previous == null) {
            previous = owner(new Identity(IdentityType.userId, previousId));
        }
        if (previous == null) {
            claim(new Identity(IdentityType.anonymousId, previousId), customer);
            return customer;
        }
        return previous.equals(customer) ? customer : merge(previous, customer);
    }

    /** Merges {@code loser} into {@code winner}; returns the winner. */
    private UUID merge(UUID loser, UUID winner) {
        mergedInto.put(loser, winner);
        mergedFrom.computeIfAbsent(winner, key -> new ArrayList<>()).add(loser);
        for (Identity identity : identitiesOf.remove(loser)) {
            owners.put(identity, winner);
            identitiesOf.get(winner).add(identity);
        }
        CustomerState winnerState = states.get(winner);
        winnerState.absorb(states.get(loser));
        winnerState.changed("merge");
        touched.add(winner);
        return winner;
    }

    private void claim(Identity identity, UUID customer) {
        owners.put(identity, customer);
        identitiesOf.get(customer).add(identity);
        newIdentities.add(new NewIdentity(identity, customer));
        states.get(customer).changed("identity");
    }

    private UUID owner(Identity identity) {
        UUID owner = owners.get(identity);
        return owner == null ? null : live(owner);
    }

    /** Follows merges to the customer that absorbed this one. */
    private UUID live(UUID customer) {
        UUID current = customer;
        while (mergedInto.containsKey(current)) {
            current = mergedInto.get(current);
        }
        return current;
    }

    private boolean hasUserId(UUID customer) {
        return identitiesOf.get(customer).stream().anyMatch(identity -> identity.type() == IdentityType.userId);
    }

    private void applyTraits(CustomerState state, Read read) {
        Instant at = read.event().occurredAt();
        Map<String, String> traits = read.traits();
        boolean changed = false;
        String firstName = traits.get("firstName");
        String lastName = traits.get("lastName");
        String fullName = traits.get("name");
        if (firstName == null && lastName == null && fullName != null) {
            int space = fullName.strip().lastIndexOf(' ');
            firstName = space < 0 ? fullName : fullName.strip().substring(0, space);
            lastName = space < 0 ? null : fullName.strip().substring(space + 1);
        }
        changed |= text(state, "first_name", firstName, at);
        changed |= text(state, "last_name", lastName, at);
        if (traits.containsKey("email")) {
            String email = Cleaning.trimmed(traits.get("email")).orElse(null);
            String normalized = Cleaning.email(email).orElse(null);
            if (email != null && normalized == null) {
                issue(state.id(), read, "email", email, "is not an email address");
            }
            changed |= email != null && state.set("email", at, email, normalized);
        }
        if (traits.containsKey("phone")) {
            String phone = Cleaning.trimmed(traits.get("phone")).orElse(null);
            if (phone != null && read.phoneE164() == null) {
                issue(state.id(), read, "phone", phone, "is not a valid phone number");
            }
            changed |= phone != null && state.set("phone", at, phone, read.phoneE164());
        }
        if (traits.containsKey("birthday")) {
            LocalDate birthDate = Cleaning.birthDate(traits.get("birthday"), today).orElse(null);
            if (birthDate == null) {
                issue(state.id(), read, "birthday", traits.get("birthday"), "is not a plausible date (yyyy-MM-dd)");
            } else {
                changed |= state.set("birth_date", at, birthDate);
            }
        }
        changed |= clean(state, "gender", Cleaning.gender(traits.get("gender")).orElse(null), at);
        String city = Cleaning.trimmed(traits.get("city")).orElse(null);
        changed |= city != null && state.set("city", at, city, Cleaning.cityKey(city).orElse(null));
        changed |= text(state, "state", traits.get("state"), at);
        changed |= text(state, "postal_code", traits.get("postalCode"), at);
        if (traits.containsKey("country")) {
            String code = Cleaning.countryCode(traits.get("country")).orElse(null);
            if (code == null) {
                issue(state.id(), read, "country", traits.get("country"), "is not a known country name or ISO code");
            } else {
                changed |= state.set("country", at, code);
            }
        }
        changed |= clean(state, "segment", Cleaning.trimmed(traits.get("segment")).map(TextKeys::lower).orElse(null), at);
        changed |= text(state, "loyalty_card", traits.get("loyaltyCard"), at);
        if (read.preferences() != null) {
            changed |= state.set("preferences", at, read.preferences().toString());
        }
        if (changed) {
            state.changed("profile");
        }
    }

    private void applyConsents(CustomerState state, Read read) {
        Instant at = read.event().occurredAt();
        read.consents().forEach((channel, granted) -> {
            if (state.set("consent." + channel, at, granted)) {
                consents.add(new ConsentChange(state.id(), channel, granted, read.event().source(), read.event().messageId(), at));
                state.changed("consent");
            }
        });
    }

    private static boolean text(CustomerState state, String field, String value, Instant at) {
        return clean(state, field, Cleaning.trimmed(value).orElse(null), at);
    }

    private static boolean clean(CustomerState state, String field, String value, Instant at) {
        return value != null && state.set(field, at, value);
    }

    private void issue(UUID customer, Read read, String field, String value, String problem) {
        issues.add(new QualityIssue(customer, field, value, problem, read.event().source(), read.event().messageId(),
                read.event().occurredAt()));
    }

    /** Points every row at the customer that now holds it and sums the facts. */
    private Plan finish() {
        List<NewIdentity> identities = newIdentities.stream()
                .map(row -> new NewIdentity(row.identity(), live(row.customerId())))
                .filter(row -> owners.get(row.identity()) != null && live(owners.get(row.identity())).equals(row.customerId()))
                .distinct().toList();
        List<InteractionRow> interactionRows = interactions.stream().map(row -> new InteractionRow(live(row.customerId()),
                row.rawEventId(), row.fact(), row.source(), row.occurredAt())).toList();
        List<TransactionRow> transactionRows = transactions.stream().map(row -> new TransactionRow(live(row.customerId()),
                row.rawEventId(), row.transactionId(), row.type(), row.amount(), row.currency(), row.storeId(), row.itemsJson(),
                row.source(), row.occurredAt())).toList();
        List<ConsentChange> consentRows = consents.stream().map(row -> new ConsentChange(live(row.customerId()), row.channel(),
                row.granted(), row.source(), row.messageId(), row.occurredAt())).toList();
        List<QualityIssue> issueRows = issues.stream().map(row -> new QualityIssue(live(row.customerId()), row.field(),
                row.value(), row.problem(), row.source(), row.messageId(), row.occurredAt())).toList();

        // Facts of a customer that absorbed a stored customer are recomputed from silver; the others get deltas.
        Set<UUID> recompute = new LinkedHashSet<>();
        Map<UUID, UUID> storedMerges = new LinkedHashMap<>();
        mergedInto.keySet().forEach(loser -> {
            if (states.get(loser).existing()) {
                storedMerges.put(loser, live(loser));
                recompute.add(live(loser));
            }
        });
        Map<UUID, FactsDelta> facts = new LinkedHashMap<>();
        Map<UUID, Map<String, EventCountDelta>> eventCounts = new LinkedHashMap<>();
        for (TransactionRow row : transactionRows) {
            if (!recompute.contains(row.customerId())) {
                FactsDelta delta = facts.computeIfAbsent(row.customerId(), key -> new FactsDelta());
                delta.transactionCount++;
                delta.transactionTotal = delta.transactionTotal.add(row.amount());
                delta.countByType.merge(row.type(), 1L, Long::sum);
                delta.totalByType.merge(row.type(), row.amount(), BigDecimal::add);
                delta.firstTransactionAt = min(delta.firstTransactionAt, row.occurredAt());
                delta.lastTransactionAt = max(delta.lastTransactionAt, row.occurredAt());
            }
        }
        for (InteractionRow row : interactionRows) {
            if (!recompute.contains(row.customerId())) {
                FactsDelta delta = facts.computeIfAbsent(row.customerId(), key -> new FactsDelta());
                delta.interactionCount++;
                delta.lastInteractionAt = max(delta.lastInteractionAt, row.occurredAt());
                EventCountDelta count = eventCounts.computeIfAbsent(row.customerId(), key -> new LinkedHashMap<>())
                        .computeIfAbsent(row.fact().eventName(), key -> new EventCountDelta());
                count.count++;
                count.firstAt = min(count.firstAt, row.occurredAt());
                count.lastAt = max(count.lastAt, row.occurredAt());
            }
        }
        List<CustomerState> customers = touched.stream().map(this::live).distinct().map(states::get).toList();
        Map<UUID, List<UUID>> merged = new HashMap<>();
        mergedFrom.forEach((winner, losers) -> merged.computeIfAbsent(live(winner), key -> new ArrayList<>()).addAll(
                losers.stream().filter(loser -> states.get(loser).existing()).toList()));
        return new Plan(customers, storedMerges, identities, interactionRows, transactionRows, consentRows, issueRows,
                recompute, facts, eventCounts, merged, storedEvents());
    }

    /** The batch's interactions and transactions, each with its customer as stitched at the end of the batch. */
    private List<StoredEvent> storedEvents() {
        Map<UUID, Person> people = new HashMap<>();
        List<StoredEvent> events = new ArrayList<>(forwards.size());
        for (Forward forward : forwards) {
            Read read = forward.read();
            RawEvent event = read.event();
            UUID customer = live(forward.customerId());
            boolean transaction = read.transaction() != null;
            events.add(new StoredEvent(event.messageId(), event.source(), event.type(),
                    transaction ? StoredEvent.TRANSACTION : read.interaction().eventName(), event.occurredAt(), event.receivedAt(),
                    customer, forward.advertisingConsent(), transaction ? transactionProperties(read) : event.payload().path("properties"),
                    EventContexts.of(event.payload(), event.occurredAt()), people.computeIfAbsent(customer, this::person),
                    StoredEvent.SCHEMA_VERSION));
        }
        return events;
    }

    private static JsonNode transactionProperties(Read read) {
        var fact = read.transaction();
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("transactionId", fact.transactionId());
        properties.put("type", fact.type());
        properties.put("amount", fact.amount());
        properties.put("currency", fact.currency());
        properties.put("storeId", fact.storeId());
        JsonNode items = read.event().payload().path("items");
        properties.set("items", items.isArray() ? items : JsonNodeFactory.instance.arrayNode());
        return properties;
    }

    /** The profile's identifying fields; an email or phone only known as an identifier (a receipt's) stands in. */
    private Person person(UUID customer) {
        CustomerState state = states.get(customer);
        Set<Identity> identities = identitiesOf.getOrDefault(customer, Set.of());
        String email = (String) state.column("email_normalized");
        String phone = (String) state.column("phone_e164");
        List<String> userIds = new ArrayList<>();
        for (Identity identity : identities) {
            switch (identity.type()) {
                case email -> email = email != null ? email : identity.value();
                case phone -> phone = phone != null ? phone : identity.value();
                case userId -> userIds.add(identity.value());
                default -> {
                }
            }
        }
        userIds.sort(null);
        Object birthDate = state.column("birth_date");
        return new Person(email, phone, (String) state.column("first_name"), (String) state.column("last_name"),
                birthDate instanceof LocalDate date ? date : null, (String) state.column("gender"), (String) state.column("city"),
                (String) state.column("state"), (String) state.column("postal_code"), (String) state.column("country_code"), userIds);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}

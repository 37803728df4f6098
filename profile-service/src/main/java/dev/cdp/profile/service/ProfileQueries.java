package dev.cdp.profile.service;

import dev.cdp.problem.Page;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import dev.cdp.profile.domain.ConsentChange;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.Interaction;
import dev.cdp.profile.domain.LayerCounts;
import dev.cdp.profile.domain.Profile;
import dev.cdp.profile.domain.ProfileSummary;
import dev.cdp.profile.domain.Transaction;
import dev.cdp.profile.messaging.ConsumerLagMonitor;
import dev.cdp.profile.repository.ProfileRepository;
import dev.cdp.profile.repository.ProfileRepository.Position;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads of profiles for the REST API. An absorbed customer's id leads to the customer that absorbed it; an unknown
 * one is a 404 problem. Lists are paged by opaque cursors (keyset, so a page never skips or repeats rows).
 */
@ApplicationScoped
public class ProfileQueries {

    private static final Pattern UUID_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ROW_ID = Pattern.compile("[0-9]{1,18}");

    private final ProfileRepository profiles;
    private final ConsumerLagMonitor consumerLag;

    public ProfileQueries(ProfileRepository profiles, ConsumerLagMonitor consumerLag) {
        this.profiles = profiles;
        this.consumerLag = consumerLag;
    }

    /** The row counts, with the consumer lag as last measured (never measured while the request waits). */
    public Uni<LayerCounts> counts() {
        return profiles.counts().map(counts -> counts.withConsumerLag(consumerLag.current()));
    }

    public Uni<Profile> byId(UUID customerId) {
        return live(customerId).chain(profiles::profile)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No customer has id " + customerId));
    }

    /** The customer known by an identifier, already cleaned the way identities are stored. */
    public Uni<Profile> byIdentity(Identity identity) {
        return profiles.ownerOf(identity)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No customer is known by this " + identity.type()))
                .chain(this::byId);
    }

    public Uni<Page<ProfileSummary>> search(String cityKey, String segment, Instant updatedSince, String cursor, int limit) {
        return profiles.search(cityKey, segment, updatedSince, decode(cursor, UUID_ID), limit + 1)
                .map(rows -> page(rows, limit, row -> new Position(row.updatedAt(), row.customerId().toString())));
    }

    public Uni<Page<Transaction>> transactions(UUID customerId, String cursor, int limit) {
        Position before = decode(cursor, ROW_ID);
        return live(customerId).chain(id -> profiles.transactions(id, before, limit + 1))
                .map(rows -> page(rows, limit, row -> new Position(row.occurredAt(), String.valueOf(row.id()))));
    }

    public Uni<Page<ConsentChange>> consentChanges(UUID customerId, String cursor, int limit) {
        Position before = decode(cursor, ROW_ID);
        return live(customerId).chain(id -> profiles.consentChanges(id, before, limit + 1))
                .map(rows -> page(rows, limit, row -> new Position(row.occurredAt(), String.valueOf(row.id()))));
    }

    public Uni<Page<Interaction>> interactions(UUID customerId, String cursor, int limit) {
        Position before = decode(cursor, ROW_ID);
        return live(customerId).chain(id -> profiles.interactions(id, before, limit + 1))
                .map(rows -> page(rows, limit, row -> new Position(row.occurredAt(), String.valueOf(row.id()))));
    }

    private Uni<UUID> live(UUID customerId) {
        return profiles.live(customerId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No customer has id " + customerId));
    }

    /** A page of {@code limit} rows, from {@code limit + 1} read: the extra one says there is a next page. */
    private static <T> Page<T> page(List<T> rows, int limit, Function<T, Position> position) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        Position last = position.apply(items.get(limit - 1));
        String cursor = last.at() + "|" + last.id();
        return new Page<>(List.copyOf(items), Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8)));
    }

    private static Position decode(String cursor, Pattern idShape) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            Position position = new Position(Instant.parse(parts[0]), parts[1]);
            if (!idShape.matcher(position.id()).matches()) {
                throw new IllegalArgumentException(position.id());
            }
            return position;
        } catch (RuntimeException e) {
            throw ProblemException.invalid(List.of(new Violation("cursor", "is not a cursor this API gave out")));
        }
    }
}

package dev.cdp.segment.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.StorableJson;
import dev.cdp.problem.Violation;
import dev.cdp.segment.definition.Condition;
import dev.cdp.segment.definition.DefinitionParser;
import dev.cdp.segment.definition.SqlCompiler;
import dev.cdp.segment.definition.SqlCompiler.Compiled;
import dev.cdp.segment.domain.CompiledQuery;
import dev.cdp.segment.domain.Evaluation;
import dev.cdp.segment.domain.Preview;
import dev.cdp.segment.domain.Segment;
import dev.cdp.segment.repository.SegmentRepository;
import dev.cdp.segment.messaging.MembershipRelay;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Segment definitions checked and compiled, and evaluated over the profile read model. */
@ApplicationScoped
public class SegmentService {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2000;
    static final int SAMPLE_SIZE = 20;
    /** Customers one membership lookup may ask about. */
    public static final int MAX_LOOKUP = 1000;

    /** A UUID in its canonical 8-4-4-4-12 hex form, either case (what {@link UUID#toString} writes). */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A checked request to create or replace a segment. */
    public record Draft(String name, String description, JsonNode definition, Condition condition) {
    }

    private final SegmentRepository segments;
    private final MembershipRelay relay;
    private final Clock clock;

    public SegmentService(SegmentRepository segments, MembershipRelay relay) {
        this.segments = segments;
        this.relay = relay;
        this.clock = Clock.systemUTC();
    }

    /** Reads {@code {"name", "description", "definition"}}, listing every problem in one 400. */
    public static Draft draft(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(List.of(new Violation("", "must be an object with name, description and definition")));
        }
        List<Violation> violations = new ArrayList<>();
        StorableJson.check(body, "", violations);
        body.fieldNames().forEachRemaining(field -> {
            if (!List.of("name", "description", "definition").contains(field)) {
                violations.add(new Violation("/" + field, "is not a property of a segment; allowed: name, description, definition"));
            }
        });
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            violations.add(new Violation("/name", "is required: a non-blank string of at most " + MAX_NAME + " characters"));
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull() && (!description.isTextual() || description.asText().length() > MAX_DESCRIPTION)) {
            violations.add(new Violation("/description", "must be a string of at most " + MAX_DESCRIPTION + " characters"));
        }
        Condition condition = null;
        try {
            condition = DefinitionParser.parse(body.get("definition"), "/definition");
        } catch (ProblemException e) {
            violations.addAll(e.violations());
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(List.copyOf(new LinkedHashSet<>(violations))); // the definition's text is checked twice
        }
        return new Draft(name.asText().strip(), description == null || description.isNull() ? null : description.asText(),
                body.get("definition"), condition);
    }

    /**
     * Reads {@code {"customerIds": ["uuid", ...]}}: 1 to {@value #MAX_LOOKUP} UUIDs; each invalid one is named by its
     * pointer ({@code /customerIds/3}) in one 400, never by its value. Repeated ids are asked about once.
     */
    public static UUID[] customerIds(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(List.of(new Violation("", "must be an object with customerIds")));
        }
        List<Violation> violations = new ArrayList<>();
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("customerIds")) {
                violations.add(new Violation("/" + field, "is not a property of a lookup; allowed: customerIds"));
            }
        });
        JsonNode ids = body.get("customerIds");
        Set<UUID> customers = new LinkedHashSet<>();
        if (ids == null || ids.isNull()) {
            violations.add(new Violation("/customerIds", "is required: an array of 1 to " + MAX_LOOKUP + " customer ids (UUIDs)"));
        } else if (!ids.isArray()) {
            violations.add(new Violation("/customerIds", "must be an array of 1 to " + MAX_LOOKUP + " customer ids (UUIDs)"));
        } else if (ids.isEmpty()) {
            violations.add(new Violation("/customerIds", "must hold at least 1 customer id"));
        } else if (ids.size() > MAX_LOOKUP) {
            violations.add(new Violation("/customerIds", "must hold at most " + MAX_LOOKUP + " customer ids; it holds " + ids.size()));
        } else {
            for (int i = 0; i < ids.size(); i++) {
                JsonNode id = ids.get(i);
                if (id.isTextual() && UUID_TEXT.matcher(id.asText()).matches()) {
                    customers.add(UUID.fromString(id.asText()));
                } else {
                    violations.add(new Violation("/customerIds/" + i, "must be a UUID"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return customers.toArray(UUID[]::new);
    }

    /**
     * For each customer, one JSON object (a line of the NDJSON answer) saying whether they are in the segment now,
     * with their activation identifiers; 404 for an unknown segment.
     */
    public Uni<List<String>> lookupMembers(UUID id, UUID[] customerIds) {
        return find(id).chain(segment -> segments.lookupMembers(segment.id(), customerIds));
    }

    public Uni<Segment> create(Draft draft) {
        return segments.create(draft.name(), draft.description(), draft.definition());
    }

    public Uni<Segment> update(UUID id, Draft draft) {
        return segments.update(id, draft.name(), draft.description(), draft.definition()).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Segment> find(UUID id) {
        return segments.find(id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Void> delete(UUID id) {
        return segments.delete(id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** Size and a sample for a definition not saved yet. */
    public Uni<Preview> preview(JsonNode definition) {
        Condition condition = DefinitionParser.parse(definition, "/definition");
        Instant now = clock.instant();
        return segments.preview(SqlCompiler.members(condition, now), now, SAMPLE_SIZE);
    }

    /** The SQL the segment would run now, with its parameters. */
    public Uni<CompiledQuery> query(UUID id) {
        return find(id).map(segment -> {
            Compiled compiled = SqlCompiler.members(conditionOf(segment), clock.instant());
            return new CompiledQuery(compiled.sql(), compiled.parameters());
        });
    }

    /** Evaluates the segment in full and stores its members, entered and exited. */
    public Uni<Evaluation> refresh(UUID id, String trigger) {
        return find(id).chain(segment -> evaluate(segment, trigger));
    }

    private Uni<Evaluation> evaluate(Segment segment, String trigger) {
        Instant now = clock.instant();
        return segments.evaluate(segment, SqlCompiler.members(conditionOf(segment), now), now, trigger).invoke(evaluation -> {
            if (evaluation.entered() + evaluation.exited() > 0) {
                relay.relaySoon();
            }
        });
    }

    /** Evaluates every segment in full (the scheduled refresh, which keeps time windows true as time passes). */
    @Scheduled(cron = "{cdp.segment.refresh-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refreshAll() {
        return segments.list().chain(all -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Segment segment : all) {
                chain = chain.chain(() -> evaluate(segment, "schedule")
                        .onFailure().invoke(e -> Log.warnf("The scheduled refresh of segment %s failed: %s", segment.id(), e.getMessage()))
                        .onFailure().recoverWithNull().replaceWithVoid());
            }
            return chain;
        });
    }

    /**
     * Re-evaluates the given customers against every segment evaluated so far, with each segment's compiled query
     * restricted to them; who enters or exits goes to the outbox, as with a full refresh.
     */
    public Uni<Void> reevaluate(List<UUID> customers) {
        Instant now = clock.instant();
        return segments.evaluated().chain(all -> {
                    if (all.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    Map<UUID, Condition> conditions = new LinkedHashMap<>();
                    all.forEach(segment -> conditions.put(segment.id(), conditionOf(segment)));
                    return segments.reevaluate(all, SqlCompiler.membersAmong(conditions, now, customers), now);
                })
                .invoke(changed -> {
                    if (changed > 0) {
                        relay.relaySoon();
                    }
                })
                .replaceWithVoid();
    }

    /** The stored definition; it was valid when saved, and the language only grows, so it still is. */
    static Condition conditionOf(Segment segment) {
        return DefinitionParser.parse(segment.definition(), "/definition");
    }

    static ProblemException notFound(UUID id) {
        return ProblemException.notFound("There is no segment " + id);
    }
}

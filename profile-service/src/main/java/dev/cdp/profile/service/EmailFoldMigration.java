package dev.cdp.profile.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.RawEvent;
import dev.cdp.events.TextKeys;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.IdentityType;
import dev.cdp.profile.service.EventReader.Read;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Finishes migration V7 (emails in one form): an email identity still written the old way (an {@code i} with a
 * combining dot, from {@code İ}) whose new form another customer already holds is the same address, so the two
 * customers are one person. Each such pair goes through the planner as a message naming both addresses, so the
 * merge follows the rules every merge follows (the customer with a userId wins; two with userIds stay two, with a
 * quality issue) and is recorded like any other: in bronze (source {@value #SOURCE}), in the merged customer's
 * {@code merged_into}, and as change events. The old row is then removed. Runs at start-up, beside the consumers,
 * over the addresses V7 left in {@code profile.email_folds_pending} (V8), each removed there once done.
 */
@ApplicationScoped
public class EmailFoldMigration {

    static final String SOURCE = "migration";
    private static final int RETRIES = 5;

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper json;

    public EmailFoldMigration(Pool pool, EventStore store, ObjectMapper json) {
        this.pool = pool;
        this.store = store;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        foldOldEmails().subscribe().with(
                folded -> {
                    if (folded > 0) {
                        Log.infof("Merged the customers of %d email addresses stored in their old form", folded);
                    }
                },
                failure -> Log.warnf("Email addresses in their old form stay until the next start: %s", failure.getMessage()));
    }

    /** Merges the customers of every address left pending; answers how many there were. */
    public Uni<Integer> foldOldEmails() {
        return pool.preparedQuery("SELECT old_value FROM profile.email_folds_pending ORDER BY old_value")
                .execute()
                .map(rows -> {
                    List<String> old = new ArrayList<>();
                    for (Row row : rows) {
                        old.add(row.getString("old_value"));
                    }
                    return old;
                })
                .chain(old -> Multi.createFrom().iterable(old).onItem().transformToUniAndConcatenate(this::fold)
                        .collect().asList().map(List::size));
    }

    /** Folds one old address; answers it. */
    private Uni<String> fold(String old) {
        String folded = TextKeys.lower(old);
        RawEvent event = event(old, folded);
        Read read = new Read(event, received(event), List.of(new Identity(IdentityType.email, folded),
                new Identity(IdentityType.email, old)), null, null, null, Map.of(), null, null, Map.of());
        return store.store(List.of(read), true) // waits for a customer a consumer holds, rather than deferring
                .onFailure(WriteConflict.class).retry().atMost(RETRIES)
                .chain(() -> pool.preparedQuery("""
                        DELETE FROM profile.identities old
                        WHERE old.id_type = 'email' AND old.id_value = $1
                          AND old.customer_id = (SELECT new.customer_id FROM profile.identities new
                                                 WHERE new.id_type = 'email' AND new.id_value = $2)""")
                        .execute(Tuple.of(old, folded)))
                .chain(() -> pool.preparedQuery("DELETE FROM profile.email_folds_pending WHERE old_value = $1").execute(Tuple.of(old)))
                .replaceWith(old);
    }

    /** The message that records the merge: an identify of the address in its new form, naming the old one. */
    private RawEvent event(String old, String folded) {
        ObjectNode payload = json.createObjectNode().put("type", "identify").put("messageId", messageId(old))
                .put("reason", "one email address in two forms (migration V7)").put("previousEmail", old);
        payload.putObject("traits").put("email", folded);
        Instant now = Instant.now();
        return new RawEvent(messageId(old), SOURCE, "identify", null, null, now, now, RawEvent.SCHEMA_VERSION, payload);
    }

    /** The record as bronze keeps it. */
    private byte[] received(RawEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same old address always makes the same message, which bronze stores once. */
    private static String messageId(String old) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(old.getBytes(StandardCharsets.UTF_8));
            return "email-fold-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}

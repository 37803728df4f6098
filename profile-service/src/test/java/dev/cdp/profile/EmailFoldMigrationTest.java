package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.cdp.profile.service.EmailFoldMigration;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Migration V7 on a database that holds emails the old way (the root rule's {@code i} with a combining dot, from a
 * Turkish {@code İ}): the addresses are folded, and customers that turn out to share one are merged by the rules.
 */
@QuarkusTest
class EmailFoldMigrationTest {

    private static final String DOT = "\u0307";

    @Inject
    EmailFoldMigration migration;

    @Test
    void foldsEmailsStoredTheOldWayAndMergesTheCustomersThatShareOne() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String oldForm = "i" + DOT + "lker.demi" + DOT + "r." + run + "@gmail.com"; // what the root rule made of İLKER.DEMİR
        String newForm = "ilker.demir." + run + "@gmail.com";
        String alone = "şi" + DOT + "mşek." + run + "@example.com";
        UUID visitor = UUID.randomUUID();
        UUID known = UUID.randomUUID();
        UUID single = UUID.randomUUID();
        try (Connection db = TestDatabase.admin()) {
            customer(db, visitor, "İLKER.DEMİR." + run + "@GMAIL.COM", oldForm);
            customer(db, known, newForm, newForm);
            customer(db, single, "ŞİMŞEK." + run + "@example.com", alone);
            identity(db, "email", oldForm, visitor);
            identity(db, "anonymousId", "anon-" + run, visitor);
            identity(db, "email", newForm, known);
            identity(db, "userId", "u-" + run, known);
            identity(db, "email", alone, single);
            try (Statement migrate = db.createStatement()) {
                migrate.execute(Files.readString(Path.of("src/main/resources/db/migration/V7__emails_and_tiers_in_one_form.sql")));
                // V8 again: its table exists since the service started, its rows are what V7 left now.
                migrate.execute("""
                        INSERT INTO profile.email_folds_pending (old_value)
                        SELECT id_value FROM profile.identities WHERE id_type = 'email' AND id_value LIKE '%' || U&'\\0307' || '%'
                        ON CONFLICT DO NOTHING""");
            }
        }

        assertThat(migration.foldOldEmails().await().atMost(Duration.ofSeconds(30))).isPositive();

        // An address no one else held: folded by the migration itself.
        given().get("/profiles/lookup?email={email}", "ŞİMŞEK." + run + "@EXAMPLE.COM").then().statusCode(200)
                .body("customerId", equalTo(single.toString()));
        // Two customers of one address: the visitor joined the customer with a userId, found by either spelling.
        for (String spelling : new String[] {"İLKER.DEMİR." + run + "@GMAIL.COM", newForm}) {
            given().get("/profiles/lookup?email={email}", spelling).then().statusCode(200).body("customerId", equalTo(known.toString()));
        }
        given().get("/profiles/lookup?anonymousId={id}", "anon-" + run).then().statusCode(200).body("customerId", equalTo(known.toString()));
        given().get("/profiles/{id}", visitor).then().statusCode(200).body("customerId", equalTo(known.toString()));
        try (Connection db = TestDatabase.admin()) {
            assertThat(count(db, "SELECT count(*) FROM profile.identities WHERE id_value LIKE '%" + run + "%' AND id_value LIKE '%" + DOT + "%'"))
                    .as("no address of this run is left in its old form").isZero();
            assertThat(count(db, "SELECT count(*) FROM profile.customers WHERE customer_id = '" + visitor + "' AND merged_into = '" + known + "'"))
                    .as("the merge is recorded as any other").isOne();
            assertThat(count(db, "SELECT count(*) FROM profile.raw_events WHERE source = 'migration' AND payload::jsonb #>> '{payload,traits,email}' = '"
                    + newForm + "'")).as("and the message that made it is in bronze").isOne();
        }
        migration.foldOldEmails().await().atMost(Duration.ofSeconds(30));
        try (Connection db = TestDatabase.admin()) {
            assertThat(count(db, "SELECT count(*) FROM profile.raw_events WHERE source = 'migration' AND payload::jsonb #>> '{payload,traits,email}' = '"
                    + newForm + "'")).as("running again changes nothing").isOne();
        }
    }

    private static void customer(Connection db, UUID id, String email, String normalized) throws Exception {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO profile.customers (customer_id, email, email_normalized) VALUES (?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, email);
            insert.setString(3, normalized);
            insert.executeUpdate();
        }
    }

    private static void identity(Connection db, String type, String value, UUID customer) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO profile.identities (id_type, id_value, customer_id) VALUES (?, ?, ?)")) {
            insert.setString(1, type);
            insert.setString(2, value);
            insert.setObject(3, customer);
            insert.executeUpdate();
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement query = db.createStatement(); ResultSet rows = query.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

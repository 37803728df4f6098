package dev.cdp.profile;

import static dev.cdp.testing.Api.as;
import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.testing.TestDatabase;
import dev.cdp.testing.Traces;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;

/**
 * The right to erasure in profile-service: a customer (and the one merged into them) is gone from every table of
 * bronze, silver and gold, their identifiers are suppressed so later events do not create them again, and the
 * erasure says what it waits for (here segment-service, which this test does not run; the smoke tests run the whole
 * suite).
 */
@QuarkusTest
class ErasureTest {

    private final Messages messages = new Messages();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String userId = "erase-user-" + tag;
    private final String anonymousId = "erase-anon-" + tag;
    private final String email = "Zeynep.Erase." + tag + "@Example.COM";
    private final String loyaltyCard = "LC-" + tag;
    private final String phone = "0532 " + (100 + (int) (Math.random() * 800)) + " 22 99";
    private final String firstName = "Zeynepcik" + tag;
    private final String controlUser = "keep-user-" + tag;

    @Test
    void erasesEveryRowOfTheCustomerAndDropsTheirLaterEvents() throws Exception {
        // Two customers that become one: an anonymous visitor, and a till customer who then logs in on that browser.
        messages.send(messages.track(null, anonymousId, "product_view", "2026-11-01T10:00:00Z"));
        ObjectNode receipt = messages.transaction(userId, "FUEL", "950.00", "2026-11-01T10:10:00Z").put("loyaltyCard", loyaltyCard);
        messages.send(receipt);
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 2);
        ObjectNode login = Messages.consent(messages.message("identify", userId, anonymousId, "2026-11-01T10:20:00Z"), true, true, false);
        login.putObject("traits").put("email", email).put("phone", phone).put("firstName", firstName).put("lastName", "Silinecekoglu")
                .put("city", "İstanbul").put("birthday", "1990-05-17");
        messages.send(login);
        messages.send(messages.message("identify", controlUser, null, "2026-11-01T10:30:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 4);
        String customerId = given().get("/profiles/lookup?email={email}", email).then().statusCode(200).extract().path("customerId");
        List<String> customerIds = customerIdsOf(customerId);
        assertThat(customerIds).as("the visitor was merged into the customer").hasSize(2);

        // Only an administrator may erase, naming exactly one identifier.
        as("marketer").contentType(ContentType.JSON).body(Map.of("email", email)).post("/privacy/erasures").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("admin"));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "userId", userId)).post("/privacy/erasures").then()
                .statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("userId"));
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-address")).post("/privacy/erasures").then()
                .statusCode(400).body("violations[0].field", equalTo("email"));
        given().contentType(ContentType.JSON).body(Map.of("customerId", UUID.randomUUID().toString())).post("/privacy/erasures").then()
                .statusCode(404).contentType("application/problem+json");

        String location = given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(Locale.ROOT)))
                .post("/privacy/erasures").then().statusCode(202)
                .header("Location", containsString("/privacy/erasures/"))
                .body("status", equalTo("ERASING")).body("identifierType", equalTo("email"))
                .body("customers", equalTo(2)).body("suppressedIdentifiers", equalTo(5))
                .extract().header("Location");
        String erasureId = location.substring(location.lastIndexOf('/') + 1);

        // The profile step runs; the next one waits for segment-service, which is not running here, and says so.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/privacy/erasures/{id}", erasureId).then().statusCode(200)
                .body("step", equalTo("SEGMENTS")).body("waitingFor", startsWith("segment-service: "))
                .body("progress.profile.rowsDeleted.customers", equalTo(2))
                .body("progress.profile.rowsDeleted.transactions", equalTo(1)));
        given().get("/privacy/erasures?status=ERASING").then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(erasureId));
        as("marketer").get("/privacy/erasures/{id}", erasureId).then().statusCode(403);

        List<String> needles = new ArrayList<>(List.of(userId, anonymousId, email, loyaltyCard, firstName, phone, phone.replace(" ", "").substring(1),
                DigestUtils.sha256Hex(email.toLowerCase(Locale.ROOT))));
        assertThat(tablesHolding(needles, List.of())).as("tables that still hold an identifier of the erased customer").isEmpty();
        // Their ids are left only where the erasure itself needs them: its own list until it completes, and the
        // "erased" change waiting in the outbox for the stream.
        assertThat(tablesHolding(customerIds, List.of("erasure_customers", "change_outbox", "audit_log")))
                .as("tables that still hold the erased customer ids").isEmpty();
        given().get("/profiles/lookup?userId={id}", controlUser).then().statusCode(200);
        given().get("/profiles/{id}", customerId).then().statusCode(404);
        assertThat(messages.stored()).as("only the other customer's raw event is left").isEqualTo(1);

        // Later events naming any of their identifiers are dropped, not stored and not made into a customer again.
        double droppedBefore = suppressedMetric();
        messages.send(messages.track(userId, "new-browser-" + tag, "add_to_cart", "2026-11-02T09:00:00Z"));
        messages.send(messages.track(null, anonymousId, "page_view", "2026-11-02T09:01:00Z"));
        messages.send(messages.transaction("new-user-" + tag, "MARKET", "12.50", "2026-11-02T09:02:00Z").put("loyaltyCard", loyaltyCard));
        ObjectNode again = messages.message("identify", "other-user-" + tag, null, "2026-11-02T09:03:00Z");
        again.putObject("traits").put("email", email);
        messages.send(again);
        messages.send(messages.message("identify", controlUser, null, "2026-11-02T09:04:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> suppressedMetric() - droppedBefore >= 4 && messages.stored() == 2);
        assertThat(tablesHolding(needles, List.of())).as("nothing of the erased customer came back").isEmpty();
        given().get("/profiles/lookup?userId={id}", "new-user-" + tag).then().statusCode(404);
        given().get("/profiles/lookup?userId={id}", "other-user-" + tag).then().statusCode(404);
    }

    /** The customer and those merged into it. */
    private static List<String> customerIdsOf(String customerId) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection db = TestDatabase.admin(); PreparedStatement query = db.prepareStatement(
                "SELECT customer_id::text FROM profile.customers WHERE customer_id = ?::uuid OR merged_into = ?::uuid")) {
            query.setString(1, customerId);
            query.setString(2, customerId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /** The tables of profile-service that hold one of the needles. */
    private static List<String> tablesHolding(List<String> needles, List<String> except) throws SQLException {
        try (Connection db = TestDatabase.admin()) {
            return Traces.tablesHolding(db, List.of("profile"), needles, except);
        }
    }

    private static double suppressedMetric() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("cdp_profile_events_suppressed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}

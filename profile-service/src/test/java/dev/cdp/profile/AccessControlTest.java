package dev.cdp.profile;

import static dev.cdp.testing.RoleMatrix.ADMINS;
import static dev.cdp.testing.RoleMatrix.ANY_USER;
import static dev.cdp.testing.RoleMatrix.PROFILE_READERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.testing.Api;
import dev.cdp.testing.RoleMatrix;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Who may read profiles, and what a reader without {@code pii-reader} sees of a person. */
@QuarkusTest
class AccessControlTest {

    private final Messages messages = new Messages();

    @Test
    void everyEndpointAnswersOnlyTheRolesItNames() {
        String customer = UUID.randomUUID().toString();
        new RoleMatrix()
                .check("GET", "/profiles/stats", null, ANY_USER)
                .check("GET", "/profiles?city=izmir", null, PROFILE_READERS)
                .check("GET", "/profiles/lookup?userId=u-nobody", null, PROFILE_READERS)
                .check("GET", "/profiles/" + customer, null, PROFILE_READERS)
                .check("GET", "/profiles/" + customer + "/transactions", null, PROFILE_READERS)
                .check("GET", "/profiles/" + customer + "/consents", null, PROFILE_READERS)
                .check("GET", "/profiles/" + customer + "/interactions", null, PROFILE_READERS)
                .check("GET", "/events?limit=5", null, PROFILE_READERS)
                .check("GET", "/audit", null, ADMINS)
                .check("POST", "/privacy/erasures", "{\"customerId\": \"" + UUID.randomUUID() + "\"}", ADMINS)
                .check("GET", "/privacy/erasures", null, ADMINS)
                .check("GET", "/privacy/erasures/" + UUID.randomUUID(), null, ADMINS)
                .verify();
    }

    @Test
    void everyReadOfPersonalDataIsAuditedWithoutTheValuesAsked() {
        String customer = UUID.randomUUID().toString();
        Api.as("marketer").get("/profiles/lookup?email={email}", "someone." + customer + "@example.com").then().statusCode(404);
        Api.as("pii-reader").get("/profiles/{id}", customer).then().statusCode(404);
        Api.as("viewer").get("/profiles/{id}", customer).then().statusCode(403);
        RestAssured.given().get("/profiles/{id}/transactions", customer).then().statusCode(401);
        Api.as("marketer").get("/profiles/stats").then().statusCode(200); // counts: not personal data, not recorded

        JsonPath audit = Api.as("admin").get("/audit?limit=500").then().statusCode(200).extract().jsonPath();
        List<String> recorded = audit.getList("items", Map.class).stream()
                .filter(entry -> String.valueOf(entry.get("path")).contains(customer) || "email".equals(entry.get("queryParameters")))
                .map(entry -> entry.get("actor") + " " + entry.get("method") + " " + entry.get("path") + "?" + entry.get("queryParameters")
                        + " " + entry.get("status"))
                .toList();
        assertThat(recorded).contains(
                "marketer GET /profiles/lookup?email 404",
                "pii-reader GET /profiles/" + customer + "? 404",
                "viewer GET /profiles/" + customer + "? 403",
                "anonymous GET /profiles/" + customer + "/transactions? 401");
        // The roles the caller had, as the service saw them (implied ones included).
        assertThat(audit.getList("items", Map.class).stream().filter(entry -> "marketer".equals(entry.get("actor")))
                .map(entry -> String.valueOf(entry.get("roles")))).allMatch(roles -> roles.contains("marketer") && roles.contains("viewer"));
        assertThat(audit.prettify()).doesNotContain("someone." + customer);
        assertThat(audit.getList("items.path", String.class)).doesNotContain("/profiles/stats");
        assertThat(audit.getString("items[0].remoteAddress")).isEqualTo("127.0.0.1");
    }

    @Test
    void personalDataIsMaskedForReadersWithoutPiiReader() {
        String userId = "u-" + UUID.randomUUID();
        String city = "masktown-" + UUID.randomUUID().toString().substring(0, 8);
        // Identifiers of this customer only: another test's customer with the same phone would be the same person.
        String line = String.valueOf(1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
        String phone = "+90532" + line;
        String email = "Ayse." + line + "@Example.com";
        String maskedPhone = "+**********" + line.substring(5);
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("email", email).put("phone", phone)
                .put("firstName", "Ayşe").put("lastName", "Yılmaz").put("city", city).put("postalCode", "34710")
                .put("birthday", "1990-04-12").put("loyaltyCard", "LC-77001234");
        messages.send(identify);
        ObjectNode track = messages.message("track", userId, null, "2026-11-20T10:05:00Z");
        track.put("event", "product_view");
        messages.send(track);
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 2);

        JsonPath full = Api.as("pii-reader").get("/profiles/lookup?userId={id}", userId).then().statusCode(200).extract().jsonPath();
        String customerId = full.getString("customerId");
        assertThat(full.getString("email")).isEqualTo(email);
        assertThat(full.getString("emailNormalized")).isEqualTo(email.toLowerCase(Locale.ROOT));
        assertThat(full.getString("phoneE164")).isEqualTo(phone);
        assertThat(full.getString("postalCode")).isEqualTo("34710");

        for (String reader : new String[] {"marketer", "admin"}) {
            JsonPath masked = Api.as(reader).get("/profiles/{id}", customerId).then().statusCode(200).extract().jsonPath();
            assertThat(masked.getString("email")).isEqualTo("A***@Example.com");
            assertThat(masked.getString("emailNormalized")).isEqualTo("a***@example.com");
            assertThat(masked.getString("phoneE164")).isEqualTo(maskedPhone);
            assertThat(masked.getString("firstName")).isEqualTo("A***");
            assertThat(masked.getString("lastName")).isEqualTo("Y***");
            assertThat(masked.getString("loyaltyCard")).isEqualTo("***1234");
            assertThat(masked.getString("birthDate")).isNull();
            assertThat(masked.getString("postalCode")).isNull();
            assertThat(masked.getInt("age")).isEqualTo(full.getInt("age"));
            assertThat(masked.getString("city")).isEqualTo(city);
            assertThat(masked.getList("identities.value", String.class)).contains(userId, "a***@example.com", maskedPhone);
            assertThat(masked.prettify()).doesNotContain(line, "Yılmaz", "34710", "1990-04-12", "77001234");

            Api.as(reader).get("/profiles?city={city}", city).then().statusCode(200)
                    .body("items[0].email", equalTo("a***@example.com")).body("items[0].firstName", equalTo("A***"));
        }
    }
}

package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Search by city and segment, and every list paged by cursor without skipping or repeating. */
@QuarkusTest
class ProfileSearchTest {

    private final Messages messages = new Messages();

    @Test
    void findsCustomersByFoldedCityAndSegmentPageByPage() {
        String segment = "seg-" + UUID.randomUUID().toString().substring(0, 8);
        Instant since = Instant.now();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String userId = "u-" + UUID.randomUUID();
            users.add(userId);
            ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
            identify.putObject("traits").put("segment", segment).put("city", i < 4 ? (i % 2 == 0 ? "İZMİR" : "izmir") : "Bursa");
            messages.send(identify);
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 5);

        List<String> found = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().queryParam("city", "Izmir").queryParam("segment", segment.toUpperCase())
                    .queryParam("updatedSince", since.toString()).queryParam("limit", 3)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/profiles").then().statusCode(200).extract().jsonPath();
            found.addAll(page.getList("items.customerId", String.class));
            cursor = page.getString("next");
        } while (cursor != null);

        assertThat(found).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void countsWhatEachLayerHolds() {
        JsonPath before = given().get("/profiles/stats").then().statusCode(200).extract().jsonPath();
        String first = "u-" + UUID.randomUUID();
        String second = "u-" + UUID.randomUUID();
        messages.send(messages.message("identify", first, null, "2026-11-20T10:00:00Z"));
        messages.send(messages.message("identify", second, null, "2026-11-20T10:00:00Z"));
        messages.send(messages.transaction(first, "FUEL", "100.00", "2026-11-20T11:00:00Z"));
        ObjectNode track = messages.message("track", second, null, "2026-11-20T12:00:00Z");
        track.put("event", "app_open");
        messages.send(track);
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 4);

        JsonPath after = given().get("/profiles/stats").then().statusCode(200).extract().jsonPath();
        assertThat(after.getLong("rawEvents") - before.getLong("rawEvents")).isEqualTo(4);
        assertThat(after.getLong("customers") - before.getLong("customers")).isEqualTo(2);
        assertThat(after.getLong("transactions") - before.getLong("transactions")).isEqualTo(1);
        assertThat(after.getLong("interactions") - before.getLong("interactions")).isEqualTo(1);
        assertThat(after.getLong("customersWithFacts") - before.getLong("customersWithFacts")).isEqualTo(2);
        assertThat(after.getLong("identities") - before.getLong("identities")).isEqualTo(2);
    }

    @Test
    void pagesTransactionsNewestFirst() {
        String userId = "u-" + UUID.randomUUID();
        for (int day = 10; day < 15; day++) {
            messages.send(messages.transaction(userId, "FUEL", day + "0.00", "2026-11-" + day + "T08:00:00Z"));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 5);
        String customerId = given().get("/profiles/lookup?userId={id}", userId).then().statusCode(200).extract().path("customerId");

        JsonPath first = given().get("/profiles/{id}/transactions?limit=2", customerId).then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.occurredAt", String.class)).containsExactly("2026-11-14T08:00:00Z", "2026-11-13T08:00:00Z");
        JsonPath second = given().get("/profiles/{id}/transactions?limit=2&cursor={c}", customerId, first.getString("next"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.occurredAt", String.class)).containsExactly("2026-11-12T08:00:00Z", "2026-11-11T08:00:00Z");
        given().get("/profiles/{id}/transactions?limit=2&cursor={c}", customerId, second.getString("next"))
                .then().statusCode(200).body("items", hasSize(1)).body("next", nullValue());
    }

    @Test
    void keepsEveryConsentChangeWithItsSourceNewestFirst() {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode granted = Messages.consent(messages.message("identify", userId, null, "2026-11-20T10:00:00Z"), true, true, false);
        ObjectNode withdrawn = Messages.consent(messages.message("identify", userId, null, "2026-11-22T09:30:00Z"), false, true, false);
        messages.send(granted);
        messages.send(withdrawn);
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 2);
        String customerId = given().get("/profiles/lookup?userId={id}", userId).then().statusCode(200).extract().path("customerId");
        given().get("/profiles/{id}", customerId).then().statusCode(200).body("consents.advertising.granted", equalTo(false));

        List<String> changes = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/profiles/{id}/consents", customerId).then().statusCode(200).extract().jsonPath();
            for (int i = 0; i < page.getList("items").size(); i++) {
                changes.add(page.getString("items[" + i + "].occurredAt") + " " + page.getString("items[" + i + "].channel") + "="
                        + page.getBoolean("items[" + i + "].granted") + " from " + page.getString("items[" + i + "].source") + " in "
                        + page.getString("items[" + i + "].messageId"));
            }
            cursor = page.getString("next");
        } while (cursor != null);
        String source = messages.source;
        String first = granted.get("messageId").asText();
        // The withdrawal is recorded with its own message; what did not change (email) is not recorded again.
        assertThat(changes).startsWith("2026-11-22T09:30:00Z advertising=false from " + source + " in " + withdrawn.get("messageId").asText())
                .contains("2026-11-20T10:00:00Z advertising=true from " + source + " in " + first,
                        "2026-11-20T10:00:00Z email=true from " + source + " in " + first)
                .doesNotContain("2026-11-22T09:30:00Z email=true from " + source + " in " + withdrawn.get("messageId").asText());
        given().get("/profiles/{id}/consents", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void refusesACursorItDidNotGiveOutAndABadDate() {
        given().get("/profiles/{id}/interactions?cursor=bm90LWEtY3Vyc29y", UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("cursor"));
        given().get("/profiles?updatedSince=yesterday").then().statusCode(400).body("violations[0].field", equalTo("updatedSince"));
        given().get("/profiles/lookup?email=not-an-email").then().statusCode(400).body("violations[0].field", equalTo("email"));
        given().get("/profiles/lookup?phone=12").then().statusCode(400).body("violations[0].field", equalTo("phone"));
    }
}

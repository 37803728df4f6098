package dev.cdp.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CORS per source, the browser's content types and the paths and body shapes of the browser SDKs. (The SDKs
 * themselves, in Chromium, are run against the whole suite by the smoke tests; here each rule is pinned down.)
 */
@QuarkusTest
@TestProfile(BrowserAccessTest.ShopOrigins.class)
class BrowserAccessTest {

    static final String SHOP = "https://www.shop.example";

    public static class ShopOrigins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cdp.ingestion.allowed-origins", "web=" + SHOP + " https://*.kampanya.example,app=http://localhost:*");
        }
    }

    @Test
    void answersThePreflightOfAnAllowedOriginNamingItAndTheSdkHeaders() {
        given().header("Origin", SHOP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,anonymousid,sentat")
                .options("/v1/track")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", SHOP)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("AnonymousId"))
                .header("Access-Control-Allow-Headers", containsString("SentAt"))
                .header("Access-Control-Allow-Headers", containsString("X-Retry-Count"))
                .header("Vary", containsString("Origin"));
        // A wildcard subdomain, and the beacon path.
        given().header("Origin", "https://yaz.kampanya.example").header("Access-Control-Request-Method", "POST")
                .options("/beacon/v1/batch")
                .then().statusCode(204).header("Access-Control-Allow-Origin", "https://yaz.kampanya.example");
    }

    @Test
    void refusesThePreflightOfAnOriginNoSourceAllows() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/t")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", nullValue())
                .body("type", equalTo("urn:cdp:problem:origin-not-allowed"));
    }

    @Test
    void acceptsACallFromAnAllowedOriginAndSaysSoToTheBrowser() {
        String userId = "user-" + UUID.randomUUID();
        RawTopic.web().header("Origin", SHOP)
                .body("{\"userId\": \"%s\", \"event\": \"product_view\"}".formatted(userId))
                .post("/v1/track")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", SHOP)
                .header("Access-Control-Allow-Credentials", "true");
        assertThat(RawTopic.awaitKey(userId, 1)).hasSize(1);
    }

    @Test
    void refusesACallFromAnOriginItsOwnSourceDoesNotAllowAndPublishesNothing() {
        // localhost is allowed for the app source, not for web: the preflight passes, the call does not.
        String userId = "user-" + UUID.randomUUID();
        RawTopic.web().header("Origin", "http://localhost:3000")
                .body("{\"userId\": \"%s\", \"event\": \"product_view\"}".formatted(userId))
                .post("/v1/track")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("may not send to source web"));
        assertThat(RawTopic.within(record -> userId.equals(record.path("_key").asText()), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void readsJsonSentAsTextPlainOnTheShortPathsWithTheWriteKeyInTheBody() {
        String anonymousId = "anon-" + UUID.randomUUID();
        given().contentType("text/plain;charset=UTF-8").header("Origin", SHOP)
                .body("""
                        {"anonymousId": "%s", "type": "page", "name": "Landing", "category": "Docs",
                         "properties": {"path": "/kampanya"}, "writeKey": "wk_web_dev"}""".formatted(anonymousId))
                .post("/v1/p")
                .then().statusCode(200).body("success", equalTo(true));
        JsonNode page = RawTopic.awaitKey(anonymousId, 1).get(0);
        assertThat(page.get("type").asText()).isEqualTo("page");
        assertThat(page.at("/payload/name").asText()).isEqualTo("Landing");
    }

    @Test
    void takesEveryShortPathAsItsCall() {
        String userId = "user-" + UUID.randomUUID();
        for (String[] call : new String[][] {{"i", ""}, {"t", ", \"event\": \"e\""}, {"p", ""}, {"s", ""},
                {"g", ", \"groupId\": \"g-1\""}, {"a", ", \"previousId\": \"old\""}}) {
            RawTopic.web().body("{\"userId\": \"%s\"%s}".formatted(userId, call[1])).post("/v1/" + call[0]).then().statusCode(200);
        }
        assertThat(RawTopic.awaitKey(userId, 6)).extracting(event -> event.get("type").asText())
                .containsExactly("identify", "track", "page", "screen", "group", "alias");
    }

    @Test
    void takesTheBatchingPathAndTheBeaconWithTheWriteKeyInTheQuery() {
        String userId = "user-" + UUID.randomUUID();
        given().contentType("text/plain").header("Origin", SHOP)
                .body("{\"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"a\"}], \"writeKey\": \"wk_web_dev\"}".formatted(userId))
                .post("/v1/b")
                .then().statusCode(200).body("accepted", equalTo(1));
        given().contentType("text/plain;charset=UTF-8").header("Origin", SHOP).queryParam("writeKey", "wk_web_dev")
                .body("{\"batch\": [{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"b\"}]}".formatted(userId))
                .post("/beacon/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(1))
                .header("Access-Control-Allow-Origin", SHOP);
        assertThat(RawTopic.awaitKey(userId, 2)).extracting(event -> event.at("/payload/event").asText()).containsExactly("a", "b");
    }

    @Test
    void refusesABodyThatIsNotJsonByItsType() {
        RawTopic.web().contentType("application/xml").body("<track/>").post("/v1/track")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("application/xml is not JSON"));
    }

    @Test
    void correctsTheClockOfEveryMessageOfABatchWithTheBatchesSentAt() {
        String userId = "user-" + UUID.randomUUID();
        // The phone's clock is a day ahead; its messages carry their own timestamps, the batch says when it was sent.
        Instant phoneNow = Instant.now().plus(Duration.ofDays(1));
        RawTopic.web().body("""
                {"sentAt": "%s", "batch": [
                  {"type": "track", "userId": "%s", "event": "app_open", "timestamp": "%s"}]}"""
                .formatted(phoneNow, userId, phoneNow.minusSeconds(30)))
                .post("/v1/batch").then().statusCode(200);
        JsonNode event = RawTopic.awaitKey(userId, 1).get(0);
        Duration age = Duration.between(Instant.parse(event.get("occurredAt").asText()), Instant.parse(event.get("receivedAt").asText()));
        assertThat(age).isEqualTo(Duration.ofSeconds(30));
        assertThat(event.at("/payload/timestamp").asText()).as("the device's own time is kept").isEqualTo(phoneNow.minusSeconds(30).toString());
    }
}

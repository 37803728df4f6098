package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.messages.IdentifyMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sale at the till, sent over HTTP, forwarded by the running suite to the Meta Conversions API (the WireMock stub
 * export-service's tests use): ingestion -> Kafka -> profile-service (stitched to the customer a shop's backend
 * identified with Segment's Java library, by the loyalty card alone) -> cdp.events.stored -> export-service -> Meta.
 * Prints how long it took from the accepted call.
 */
@ExtendWith(LocalSuite.class)
class ConversionsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aSaleAtTheTillReachesMetaAsAPurchaseWithTheProfilesIdentifiers() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pixel = String.valueOf(100_000_000L + Math.abs(run.hashCode() % 100_000_000L));
        String destination = api(8084).contentType("application/json").body("""
                {"name": "Meta pixel %s", "kind": "META", "settings": {"adAccountId": "3001", "pixelId": "%s"},
                 "credentials": {"accessToken": "smoke"}}""".formatted(run, pixel)).post("/destinations").then().statusCode(201)
                .extract().path("id");
        api(8084).contentType("application/json").body("{\"enabled\": true}").put("/destinations/{id}/conversions", destination)
                .then().statusCode(200);

        String userId = "conv-" + run;
        String email = "Conv." + run + "@Example.com";
        String card = "LC-" + run;
        TrackingLibrariesIT.sendWithSegmentsJavaLibrary(IdentifyMessage.builder().userId(userId)
                .traits(Map.of("email", email, "phone", "0532 111 22 33", "firstName", "Ayşe", "loyaltyCard", card))
                .context(Map.of("consent", Map.of("categoryPreferences", Map.of("advertising", true)))));
        TrackingLibrariesIT.awaitCustomer(userId);

        String transactionId = "IST-007-" + run;
        long accepted = System.currentTimeMillis();
        given().port(port(8081)).auth().preemptive().basic("wk_pos_dev", "").contentType("application/json").body("""
                {"transactionId": "%s", "loyaltyCard": "%s", "transactionType": "FUEL", "amount": "1250.40", "currency": "TRY",
                 "storeId": "IST-007", "items": [{"sku": "FUEL-95", "quantity": 28.95, "unitPrice": 43.19}]}""".formatted(transactionId, card))
                .post("/v1/transactions").then().statusCode(200);

        List<? extends JsonNode> events = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> LocalSuite.platforms().meta().events(pixel), received -> !received.isEmpty());
        System.out.printf("conversion: accepted at the intake -> at Meta in %d ms%n", System.currentTimeMillis() - accepted);
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("event_name").asText()).isEqualTo("Purchase");
        assertThat(event.path("event_id").asText()).isEqualTo("transaction-" + transactionId);
        assertThat(event.path("action_source").asText()).isEqualTo("physical_store");
        assertThat(event.at("/custom_data/value").decimalValue()).isEqualByComparingTo("1250.40");
        assertThat(event.at("/custom_data/currency").asText()).isEqualTo("TRY");
        assertThat(event.at("/custom_data/content_ids/0").asText()).isEqualTo("FUEL-95");
        // The receipt named only the card: email and phone come from the profile, in Meta's normal form.
        assertThat(event.at("/user_data/em/0").asText()).isEqualTo(sha256("conv." + run + "@example.com"));
        assertThat(event.at("/user_data/ph/0").asText()).isEqualTo(sha256("905321112233"));
        assertThat(event.at("/user_data/fn").asText()).isEqualTo(sha256("ayse"));
        // Counted once the stub's answer is back in export-service.
        await().atMost(WAIT).untilAsserted(() -> api(8084).get("/destinations/{id}/conversions", destination).then().statusCode(200)
                .body("stats.sent", org.hamcrest.Matchers.equalTo(1)));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

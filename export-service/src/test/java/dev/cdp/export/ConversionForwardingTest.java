package dev.cdp.export;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cdp.events.StoredEvent;
import dev.cdp.events.Topics;
import dev.cdp.export.stub.PlatformStubs;
import dev.cdp.export.stub.PlatformStubsResource;
import dev.cdp.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conversions forwarded from {@code cdp.events.stored} (records as profile-service writes them, on the real topic) to
 * the Meta Conversions API, TikTok's Events API and Google's Data Manager {@code events:ingest}, played by WireMock
 * stubs that check and answer as the real APIs do.
 */
@QuarkusTest
class ConversionForwardingTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final StoredEvent.Person KEMAL = new StoredEvent.Person("kemal.yilmaz@example.com", "+905324445566", "Kemal", "Yılmaz",
            LocalDate.of(1990, 3, 7), "m", "İstanbul", null, "34710", "TR", List.of("u-kemal"));

    private PlatformStubs stubs;

    @BeforeEach
    void resetStubs() {
        stubs = PlatformStubsResource.stubs;
        stubs.reset();
    }

    @Test
    void aSaleAtTheTillArrivesAtMetaAsAPurchaseWithHashesValueCurrencyAndTheMessageIdAsEventId() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2001\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true, \"testEventCode\": \"TEST4711\"}");
        UUID customer = UUID.randomUUID();
        StoredEvent sale = sale(customer, KEMAL, "FUEL", "1250.40", true, Instant.now().minus(2, ChronoUnit.HOURS));
        // a record that is not a stored event, ahead of the sale in its partition: dead-lettered, and the sale still goes
        String notAnEvent = "{\"messageId\": \"" + UUID.randomUUID() + "\", \"customerId\": \"" + customer + "\"}";
        KafkaTestClient.send(Topics.EVENTS_STORED, customer.toString(), notAnEvent);
        send(sale);
        assertThat(KafkaTestClient.awaitDeadLetter(Topics.EVENTS_STORED, notAnEvent))
                .isEqualTo("export-service: not a stored event: messageId, customerId, event and occurredAt are required");

        JsonNode event = await().atMost(WAIT).until(() -> stubs.meta().events(pixel), events -> events.size() == 1).get(0);
        assertThat(event.path("event_name").asText()).isEqualTo("Purchase");
        assertThat(event.path("event_id").asText()).as("the platform de-duplicates on the message id").isEqualTo(sale.messageId());
        assertThat(event.path("event_time").asLong()).isEqualTo(sale.occurredAt().getEpochSecond());
        assertThat(event.path("action_source").asText()).isEqualTo("physical_store");
        assertThat(event.path("test_event_code").asText()).isEqualTo("TEST4711");
        assertThat(event.at("/custom_data/value").decimalValue()).isEqualByComparingTo("1250.40");
        assertThat(event.at("/custom_data/currency").asText()).isEqualTo("TRY");
        assertThat(event.at("/custom_data/order_id").asText()).isEqualTo(sale.properties().path("transactionId").asText());
        assertThat(event.at("/custom_data/content_ids").toString()).isEqualTo("[\"DIESEL\"]");
        JsonNode user = event.path("user_data");
        // Meta's normalization, as its audiences get it: phone as E.164 digits, names transliterated, country lower case.
        assertThat(user.path("em").toString()).isEqualTo("[\"" + DigestUtils.sha256Hex("kemal.yilmaz@example.com") + "\"]");
        assertThat(user.path("ph").toString()).isEqualTo("[\"" + DigestUtils.sha256Hex("905324445566") + "\"]");
        assertThat(user.path("fn").asText()).isEqualTo(DigestUtils.sha256Hex("kemal"));
        assertThat(user.path("ln").asText()).isEqualTo(DigestUtils.sha256Hex("yilmaz"));
        assertThat(user.path("ct").asText()).isEqualTo(DigestUtils.sha256Hex("istanbul"));
        assertThat(user.path("country").asText()).isEqualTo(DigestUtils.sha256Hex("tr"));
        assertThat(user.path("db").asText()).isEqualTo(DigestUtils.sha256Hex("19900307"));
        assertThat(user.path("external_id").toString()).contains(DigestUtils.sha256Hex(customer.toString()), DigestUtils.sha256Hex("u-kemal"));

        // Counted once the stub's answer is back in export-service.
        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions", destination).then().statusCode(200)
                .body("enabled", equalTo(true)).body("sendsTo", equalTo(pixel)).body("defaultRules", equalTo(true))
                .body("stats.sent", equalTo(1)).body("stats.failed", equalTo(0)).body("stats.queued", equalTo(0))
                .body("rules.event", hasItem("transaction")));
        assertThat(io.restassured.RestAssured.get("/q/metrics").asString())
                .contains("cdp_export_conversions_total{destination=\"" + destination + "\",outcome=\"SENT\",reason=\"\"} 1.0")
                .contains("cdp_export_conversion_delivery_seconds_count").contains("cdp_export_conversion_sending_seconds_count");
    }

    @Test
    void aWebEventCarriesTheBrowserAndClickIdsInClear() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2002\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        StoredEvent cart = event(UUID.randomUUID(), "add_to_cart", true, Instant.now().minusSeconds(30),
                props().put("sku", "MARKET-042").put("price", 89.90).put("currency", "try"),
                new StoredEvent.Context("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64)", "tr-TR", "https://shop.example/cart?fbclid=IwAR0",
                        null, "fb.1.1733300000000.IwAR0", "fb.1.1733300000000.42", null, null, null, null, null));
        send(cart);

        JsonNode event = await().atMost(WAIT).until(() -> stubs.meta().events(pixel), events -> events.size() == 1).get(0);
        assertThat(event.path("event_name").asText()).isEqualTo("AddToCart");
        assertThat(event.path("action_source").asText()).isEqualTo("website");
        assertThat(event.path("event_source_url").asText()).isEqualTo("https://shop.example/cart?fbclid=IwAR0");
        assertThat(event.at("/user_data/client_ip_address").asText()).isEqualTo("203.0.113.9");
        assertThat(event.at("/user_data/client_user_agent").asText()).isEqualTo("Mozilla/5.0 (X11; Linux x86_64)");
        assertThat(event.at("/user_data/fbc").asText()).isEqualTo("fb.1.1733300000000.IwAR0");
        assertThat(event.at("/user_data/fbp").asText()).isEqualTo("fb.1.1733300000000.42");
        assertThat(event.at("/custom_data/currency").asText()).isEqualTo("TRY");
        assertThat(event.at("/custom_data/value").decimalValue()).isEqualByComparingTo("89.90");
        assertThat(event.at("/custom_data/content_ids").toString()).isEqualTo("[\"MARKET-042\"]");
    }

    @Test
    void withoutConsentOrTooOldNothingIsSentAndEachDropIsCountedWithItsReason() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2003\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        UUID customer = UUID.randomUUID();
        send(sale(customer, KEMAL, "FUEL", "300", false, Instant.now().minusSeconds(60)));
        send(event(customer, "page_view", true, Instant.now().minus(8, ChronoUnit.DAYS), props(), webContext()));
        // A sale at the till may be 62 days old for Meta: this one goes.
        StoredEvent oldSale = sale(customer, KEMAL, "MARKET", "45.10", true, Instant.now().minus(8, ChronoUnit.DAYS));
        send(oldSale);

        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions", destination).then()
                .body("stats.dropped.no_consent", equalTo(1)).body("stats.dropped.too_old", equalTo(1)).body("stats.sent", equalTo(1)));
        assertThat(stubs.meta().events(pixel)).extracting(event -> event.path("event_id").asText()).containsExactly(oldSale.messageId());
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheEventsArrive() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2004\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        stubs.meta().tooManyRequestsNext(1, 1);
        stubs.meta().serverErrorNext(2);
        stubs.meta().badGatewayHtmlNext(1);
        StoredEvent sale = sale(UUID.randomUUID(), KEMAL, "FUEL", "900", true, Instant.now());
        send(sale);

        await().atMost(WAIT).until(() -> stubs.meta().events(pixel).size() == 1);
        assertThat(stubs.meta().events(pixel).get(0).path("event_id").asText()).isEqualTo(sale.messageId());
        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions", destination).then()
                .body("stats.sent", equalTo(1)).body("stats.failed", equalTo(0)));
    }

    @Test
    void aPlatformDownBeyondEveryRetryDeadLettersTheEventsWithTheReason() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2005\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        stubs.down(PlatformStubs.Platform.META);
        try {
            StoredEvent sale = sale(UUID.randomUUID(), KEMAL, "FUEL", "900", true, Instant.now());
            send(sale);
            await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions/dead-letters", destination).then()
                    .statusCode(200).body("messageId", hasItem(sale.messageId())));
            given().get("/destinations/{id}/conversions/dead-letters", destination).then()
                    .body("[0].reason", org.hamcrest.Matchers.startsWith("retries_exhausted: "))
                    .body("[0].attempts", equalTo(3)).body("[0].platformEvent", equalTo("Purchase"));
            given().get("/destinations/{id}/conversions", destination).then().body("stats.failed", equalTo(1)).body("stats.queued", equalTo(0));
        } finally {
            stubs.up(PlatformStubs.Platform.META);
        }
    }

    @Test
    void anEventThePlatformRefusesIsDeadLetteredAndTheOthersOfItsBatchAreDelivered() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2006\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        StoredEvent.Person refused = new StoredEvent.Person("refused@example.com", null, null, null, null, null, null, null, null, null, List.of());
        stubs.refuseValues(List.of(DigestUtils.sha256Hex("refused@example.com")));
        // Queued together, so they go in one call that Meta refuses as a whole for the one bad event.
        stubs.down(PlatformStubs.Platform.META);
        StoredEvent good1 = sale(UUID.randomUUID(), KEMAL, "FUEL", "100", true, Instant.now());
        StoredEvent bad = sale(UUID.randomUUID(), refused, "FUEL", "200", true, Instant.now());
        StoredEvent good2 = sale(UUID.randomUUID(), KEMAL, "MARKET", "300", true, Instant.now());
        send(good1);
        send(bad);
        send(good2);
        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions", destination).then().body("stats.queued", equalTo(3)));
        stubs.up(PlatformStubs.Platform.META);

        await().atMost(WAIT).untilAsserted(() -> assertThat(stubs.meta().events(pixel)).extracting(event -> event.path("event_id").asText())
                .containsExactlyInAnyOrder(good1.messageId(), good2.messageId()));
        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions/dead-letters", destination).then()
                .body("messageId", org.hamcrest.Matchers.contains(bad.messageId()))
                .body("[0].reason", org.hamcrest.Matchers.containsString("rejected: Meta: (#100) Invalid parameter")));
    }

    @Test
    void aMappingChangeAppliesToTheNextEvent() {
        String pixel = pixel();
        String destination = destination("META", "{\"adAccountId\": \"2007\", \"pixelId\": \"" + pixel + "\"}");
        forward(destination, "{\"enabled\": true}");
        UUID customer = UUID.randomUUID();
        StoredEvent before = sale(customer, KEMAL, "MARKET", "120", true, Instant.now());
        send(before);
        await().atMost(WAIT).until(() -> stubs.meta().events(pixel).size() == 1);

        // Only fuel sales above 500 TRY, as a custom event with the store as a parameter.
        given().contentType(ContentType.JSON).body("""
                {"enabled": true, "rules": [{"event": "transaction", "sendAs": "FuelPurchase",
                  "when": [{"property": "type", "op": "eq", "value": "FUEL"}, {"property": "amount", "op": "gt", "value": 500},
                           {"property": "currency", "op": "in", "value": ["TRY"]}],
                  "parameters": {"value": "amount", "currency": "currency", "store": "storeId"}}]}""")
                .put("/destinations/{id}/conversions", destination).then().statusCode(200).body("defaultRules", equalTo(false));
        send(sale(customer, KEMAL, "MARKET", "900", true, Instant.now()));
        send(sale(customer, KEMAL, "FUEL", "400", true, Instant.now()));
        StoredEvent fuel = sale(customer, KEMAL, "FUEL", "612.50", true, Instant.now());
        send(fuel);
        send(event(customer, "add_to_cart", true, Instant.now(), props().put("sku", "X"), webContext()));
        StoredEvent last = sale(customer, KEMAL, "FUEL", "700", true, Instant.now());
        send(last);

        await().atMost(WAIT).until(() -> stubs.meta().events(pixel).size() >= 3);
        List<ObjectNode> events = stubs.meta().events(pixel);
        assertThat(events).extracting(event -> event.path("event_id").asText())
                .containsExactly(before.messageId(), fuel.messageId(), last.messageId());
        assertThat(events.get(0).path("event_name").asText()).isEqualTo("Purchase");
        assertThat(events.get(1).path("event_name").asText()).isEqualTo("FuelPurchase");
        assertThat(events.get(1).at("/custom_data/store").asText()).isEqualTo("IST-007");
        assertThat(events.get(1).at("/custom_data/order_id").isMissingNode()).isTrue();
    }

    @Test
    void tiktokGetsCompletePaymentWithItsOwnNormalization() {
        String pixelCode = "C" + Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT);
        String destination = destination("TIKTOK", "{\"advertiserId\": \"7000000001\", \"pixelCode\": \"" + pixelCode + "\"}");
        forward(destination, "{\"enabled\": true, \"testEventCode\": \"TEST123\"}");
        UUID customer = UUID.randomUUID();
        StoredEvent sale = sale(customer, KEMAL, "FUEL", "1250.40", true, Instant.now());
        send(sale);

        JsonNode event = await().atMost(WAIT).until(() -> stubs.tiktok().events(pixelCode), events -> events.size() == 1).get(0);
        assertThat(event.path("event").asText()).isEqualTo("CompletePayment");
        assertThat(event.path("event_id").asText()).isEqualTo(sale.messageId());
        assertThat(event.path("event_source").asText()).isEqualTo("web");
        assertThat(event.path("test_event_code").asText()).isEqualTo("TEST123");
        assertThat(event.at("/user/email").toString()).isEqualTo("[\"" + DigestUtils.sha256Hex("kemal.yilmaz@example.com") + "\"]");
        // The Events API takes the phone in E.164 with its +, unlike TikTok's customer files.
        assertThat(event.at("/user/phone").toString()).isEqualTo("[\"" + DigestUtils.sha256Hex("+905324445566") + "\"]");
        assertThat(event.at("/user/external_id").toString()).contains(DigestUtils.sha256Hex(customer.toString()));
        assertThat(event.at("/properties/value").decimalValue()).isEqualByComparingTo("1250.40");
        assertThat(event.at("/properties/contents/0/content_id").asText()).isEqualTo("DIESEL");
    }

    @Test
    void googleGetsAnOfflineConversionForTheConversionAction() {
        String action = Long.toString(System.nanoTime() % 1_000_000_000L);
        String destination = destination("GOOGLE", "{\"operatingAccountId\": \"123-456-7890\", \"conversionActionId\": \"" + action + "\"}",
                "{\"accessToken\": \"token\"}");
        forward(destination, "{\"enabled\": true}");
        StoredEvent sale = sale(UUID.randomUUID(), KEMAL, "FUEL", "1250.40", true, Instant.now().minusSeconds(5));
        send(sale);
        // A page view is no conversion under Google's default rules; an anonymous sale has nothing to attribute it by.
        send(event(UUID.randomUUID(), "page_view", true, Instant.now(), props(), webContext()));
        StoredEvent.Person nobody = new StoredEvent.Person(null, null, null, null, null, null, null, null, null, null, List.of());
        send(sale(UUID.randomUUID(), nobody, "FUEL", "10", true, Instant.now()));

        JsonNode event = await().atMost(WAIT).until(() -> stubs.google().events(action), events -> events.size() == 1).get(0);
        assertThat(event.path("transactionId").asText()).isEqualTo(sale.properties().path("transactionId").asText());
        assertThat(event.path("eventSource").asText()).isEqualTo("IN_STORE");
        assertThat(event.path("conversionValue").decimalValue()).isEqualByComparingTo("1250.40");
        assertThat(event.path("currency").asText()).isEqualTo("TRY");
        assertThat(event.at("/userData/userIdentifiers/0/emailAddress").asText()).isEqualTo(DigestUtils.sha256Hex("kemal.yilmaz@example.com"));
        assertThat(event.at("/userData/userIdentifiers/1/phoneNumber").asText()).isEqualTo(DigestUtils.sha256Hex("+905324445566"));
        assertThat(event.at("/consent/adUserData").asText()).isEqualTo("CONSENT_GRANTED");
        await().atMost(WAIT).untilAsserted(() -> given().get("/destinations/{id}/conversions", destination).then()
                .body("stats.sent", equalTo(1)).body("stats.dropped.no_identifiers", equalTo(1)));
    }

    @Test
    void settingsAreCheckedAndEveryProblemNamesItsField() {
        String noPixel = destination("META", "{\"adAccountId\": \"2008\"}");
        given().contentType(ContentType.JSON).body("{\"enabled\": true}").put("/destinations/{id}/conversions", noPixel).then()
                .statusCode(400).contentType("application/problem+json").body("violations.field", hasItem("/enabled"));
        String destination = destination("META", "{\"adAccountId\": \"2009\", \"pixelId\": \"" + pixel() + "\"}");
        given().contentType(ContentType.JSON).body("""
                {"enabled": true, "testEventCode": "", "colour": "red",
                 "rules": [{"event": "transaction", "sendAs": "Purchase", "when": [{"property": "amount", "op": "between", "value": 1},
                           {"property": "type", "op": "gt", "value": "FUEL"}], "parameters": {"value": "amount;drop"}},
                           {"sendAs": "X"}]}""")
                .put("/destinations/{id}/conversions", destination).then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("/testEventCode", "/colour", "/rules/0/when/0/op",
                        "/rules/0/when/1/value", "/rules/0/parameters/value", "/rules/1/event"));
        given().get("/destinations/{id}/conversions", destination).then().statusCode(200).body("enabled", equalTo(false));
        String webhook = destination("WEBHOOK", "{\"url\": \"http://127.0.0.1:1/hook\"}", "{}");
        given().contentType(ContentType.JSON).body("{\"enabled\": true}").put("/destinations/{id}/conversions", webhook).then()
                .statusCode(400).contentType("application/problem+json");
        given().get("/destinations/{id}/conversions", UUID.randomUUID()).then().statusCode(404);
    }

    private static String pixel() {
        return Long.toString(100_000_000_000L + System.nanoTime() % 100_000_000_000L);
    }

    private static String destination(String kind, String settings) {
        return destination(kind, settings, "{\"accessToken\": \"token\"}");
    }

    private static String destination(String kind, String settings, String credentials) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + kind + " " + UUID.randomUUID() + "\", \"kind\": \"" + kind + "\", "
                + "\"settings\": " + settings + ", \"credentials\": " + credentials + "}").post("/destinations").then().statusCode(201)
                .extract().path("id");
    }

    private static void forward(String destination, String body) {
        given().contentType(ContentType.JSON).body(body).put("/destinations/{id}/conversions", destination).then().statusCode(200)
                .body("enabled", equalTo(true));
    }

    private static StoredEvent sale(UUID customer, StoredEvent.Person person, String type, String amount, boolean consent, Instant at) {
        ObjectNode properties = props().put("transactionId", "R-" + UUID.randomUUID()).put("type", type)
                .put("amount", new java.math.BigDecimal(amount)).put("currency", "TRY").put("storeId", "IST-007");
        properties.putArray("items").addObject().put("sku", "DIESEL").put("quantity", 31.5);
        return new StoredEvent(UUID.randomUUID().toString(), "pos", StoredEvent.TRANSACTION, StoredEvent.TRANSACTION, at, Instant.now(), customer,
                consent, properties, StoredEvent.Context.NONE, person, StoredEvent.SCHEMA_VERSION);
    }

    private static StoredEvent event(UUID customer, String name, boolean consent, Instant at, ObjectNode properties, StoredEvent.Context context) {
        return new StoredEvent(UUID.randomUUID().toString(), "web", name.equals("page_view") ? "page" : "track", name, at, Instant.now(), customer,
                consent, properties, context, KEMAL, StoredEvent.SCHEMA_VERSION);
    }

    private static StoredEvent.Context webContext() {
        return new StoredEvent.Context("198.51.100.7", "Mozilla/5.0", "tr-TR", "https://shop.example/", null, null, null, null, null, null, null,
                null);
    }

    private static ObjectNode props() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** As profile-service sends it: keyed by customer. */
    private static void send(StoredEvent event) {
        try {
            KafkaTestClient.send(Topics.EVENTS_STORED, event.customerId().toString(), JSON.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

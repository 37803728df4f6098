package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.events.Topics;
import dev.cdp.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What arrives on the real cdp.events.raw topic becomes profiles in PostgreSQL: once, stitched, clean, with facts. */
@QuarkusTest
class ProfileStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private final Messages messages = new Messages();

    @Test
    void buildsAProfileFromIdentifyTrackAndTransaction() throws Exception {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("firstName", "Ayşe").put("lastName", "Yılmaz").put("email", "Ayse." + userId + "@Example.com")
                .put("phone", "0532 111 22 33").put("birthday", "1990-05-17").put("segment", "premium")
                .putObject("address").put("city", "İstanbul").put("country", "Türkiye");
        Messages.consent(identify, true, true, false);
        messages.send(identify);
        messages.send(messages.track(userId, null, "product_view", "2026-11-20T10:05:00Z"));
        messages.send(messages.transaction(userId, "FUEL", "1250.40", "2026-11-20T10:30:00Z"));

        String customerId = awaitCustomer("userId", userId);
        await().atMost(WAIT).untilAsserted(() -> given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("facts.transactionCount", equalTo(1)));

        JsonPath profile = given().get("/profiles/{id}", customerId).then().statusCode(200).extract().jsonPath();
        assertThat(profile.getString("firstName")).isEqualTo("Ayşe");
        assertThat(profile.getString("emailNormalized")).isEqualTo(("ayse." + userId + "@example.com").toLowerCase());
        assertThat(profile.getString("phoneE164")).isEqualTo("+905321112233");
        assertThat(profile.getString("countryCode")).isEqualTo("TR");
        assertThat(profile.getString("city")).isEqualTo("İstanbul");
        assertThat(profile.getInt("age")).isGreaterThanOrEqualTo(36);
        assertThat(profile.getBoolean("consents.advertising.granted")).isTrue();
        assertThat(profile.getBoolean("consents.sms.granted")).isFalse();
        assertThat(profile.getString("consents.email.source")).isEqualTo(messages.source);
        assertThat(profile.getString("facts.transactionTotal")).isEqualTo("1250.4");
        assertThat(profile.getInt("facts.transactionsByType.FUEL.count")).isEqualTo(1);
        assertThat(profile.getInt("facts.eventCounts.product_view")).isEqualTo(1);
        assertThat(profile.getList("identities.type", String.class)).containsExactlyInAnyOrder("userId", "email", "phone");

        given().get("/profiles/lookup?email={email}", "Ayse." + userId + "@EXAMPLE.com").then().statusCode(200)
                .body("customerId", equalTo(customerId));
        given().get("/profiles/lookup?phone={phone}", "+90 532 111 2233").then().statusCode(200);
        given().get("/profiles/{id}/transactions", customerId).then().statusCode(200)
                .body("items[0].amount", equalTo(1250.40f))
                .body("items[0].type", equalTo("FUEL"));

        // One change event per customer per committed batch, keyed by customer, naming what changed.
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> changes = KafkaTestClient.recordsWithin(Topics.PROFILES_CHANGED, record -> customerId.equals(record.key()),
                    Duration.ofSeconds(1)).stream().map(record -> read(record.value())).toList();
            assertThat(changes).allSatisfy(change -> {
                assertThat(change.get("customerId").asText()).isEqualTo(customerId);
                assertThat(change.get("schemaVersion").asInt()).isEqualTo(1);
            });
            assertThat(changes.stream().flatMap(change -> StreamSupport.stream(change.get("changes").spliterator(), false))
                    .map(JsonNode::asText).toList()).contains("profile", "consent", "identity", "interaction", "transaction");
        });
    }

    @Test
    void sendsEachStoredEventWithTheStitchedProfileAndTheConsentOfItsMoment() throws Exception {
        String userId = "u-" + UUID.randomUUID();
        String email = "Kemal." + userId + "@Example.com";
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("firstName", "Kemal").put("email", email).put("phone", "0532 444 55 66")
                .putObject("address").put("country", "TR");
        Messages.consent(identify, false, true, false);
        messages.send(identify);
        ObjectNode addToCart = messages.track(userId, null, "add_to_cart", "2026-11-20T10:05:00Z");
        addToCart.withObject("/context").put("ip", "203.0.113.9").put("userAgent", "Mozilla/5.0 (X11; Linux x86_64)").put("fbp", "fb.1.1.42")
                .putObject("page").put("url", "https://shop.example/cart?fbclid=IwAR0abc&gclid=Cj0KCQ&utm_source=meta");
        messages.send(addToCart);
        await().atMost(WAIT).until(() -> messages.stored() == 2);
        messages.send(Messages.consent(messages.message("identify", userId, null, "2026-11-20T11:00:00Z"), true, true, false));
        ObjectNode receipt = messages.message("transaction", null, null, "2026-11-20T11:30:00Z").put("transactionId", "R-" + userId)
                .put("transactionType", "FUEL").put("amount", "1250.40").put("currency", "TRY").put("email", email);
        receipt.putArray("items").addObject().put("sku", "DIESEL").put("quantity", 31.5);
        messages.send(receipt);

        String customerId = awaitCustomer("userId", userId);
        List<JsonNode> stored = new java.util.ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            stored.clear();
            KafkaTestClient.recordsWithin(Topics.EVENTS_STORED, record -> customerId.equals(record.key()), Duration.ofSeconds(1))
                    .forEach(record -> stored.add(read(record.value())));
            assertThat(stored).hasSize(2);
        });
        JsonNode cart = stored.stream().filter(event -> event.get("event").asText().equals("add_to_cart")).findFirst().orElseThrow();
        assertThat(cart.get("messageId").asText()).isEqualTo(addToCart.get("messageId").asText());
        assertThat(cart.get("advertisingConsent").asBoolean()).as("no advertising consent when it happened").isFalse();
        assertThat(cart.at("/properties/sku").asText()).isEqualTo("FUEL-95");
        assertThat(cart.at("/context/ip").asText()).isEqualTo("203.0.113.9");
        assertThat(cart.at("/context/fbp").asText()).isEqualTo("fb.1.1.42");
        assertThat(cart.at("/context/fbc").asText()).isEqualTo("fb.1." + java.time.Instant.parse("2026-11-20T10:05:00Z").toEpochMilli() + ".IwAR0abc");
        assertThat(cart.at("/context/gclid").asText()).isEqualTo("Cj0KCQ");

        JsonNode sale = stored.stream().filter(event -> event.get("event").asText().equals("transaction")).findFirst().orElseThrow();
        assertThat(sale.get("advertisingConsent").asBoolean()).isTrue();
        assertThat(sale.get("customerId").asText()).isEqualTo(customerId);
        assertThat(sale.at("/properties/amount").decimalValue()).isEqualByComparingTo("1250.40");
        assertThat(sale.at("/properties/currency").asText()).isEqualTo("TRY");
        assertThat(sale.at("/properties/items/0/sku").asText()).isEqualTo("DIESEL");
        // The receipt named only an email: the profile gives the rest.
        assertThat(sale.at("/person/email").asText()).isEqualTo(("kemal." + userId + "@example.com").toLowerCase());
        assertThat(sale.at("/person/phone").asText()).isEqualTo("+905324445566");
        assertThat(sale.at("/person/firstName").asText()).isEqualTo("Kemal");
        assertThat(sale.at("/person/countryCode").asText()).isEqualTo("TR");
        assertThat(sale.at("/person/userIds/0").asText()).isEqualTo(userId);
    }

    @Test
    void storesRedeliveredMessagesOnce() {
        String userId = "u-" + UUID.randomUUID();
        List<ObjectNode> batch = List.of(messages.track(userId, null, "page_view", "2026-11-20T10:00:00Z"),
                messages.transaction(userId, "MARKET", "45.10", "2026-11-20T10:01:00Z"));
        batch.forEach(messages::send);
        batch.forEach(messages::send);
        messages.send(messages.track(userId, null, "coupon_redeemed", "2026-11-20T11:00:00Z"));

        await().atMost(WAIT).until(() -> messages.stored() == 3);
        String customerId = awaitCustomer("userId", userId);
        await().atMost(WAIT).untilAsserted(() -> given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("facts.interactionCount", equalTo(2))
                .body("facts.transactionCount", equalTo(1))
                .body("facts.eventCounts.page_view", equalTo(1)));
        given().get("/profiles/{id}/interactions", customerId).then().body("items.event", contains("coupon_redeemed", "page_view"));
        // Stored once, but sent for forwarding each time it came: a crash between the commit and the send loses none.
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> sent = KafkaTestClient.recordsWithin(Topics.EVENTS_STORED, record -> customerId.equals(record.key()),
                    Duration.ofSeconds(1)).stream().map(record -> read(record.value()).get("messageId").asText()).toList();
            assertThat(sent).hasSize(5);
            for (ObjectNode twice : batch) {
                assertThat(sent).filteredOn(id -> id.equals(twice.get("messageId").asText())).hasSize(2);
            }
        });
    }

    @Test
    void keepsWhatTheTrackingLibrarySaidAboutAPageAndShowsIt() {
        String anonymousId = "a-" + UUID.randomUUID();
        ObjectNode page = messages.message("page", null, anonymousId, "2026-11-20T10:00:00Z").put("name", "Landing").put("category", "Docs");
        page.putObject("properties").put("path", "/kampanya").put("title", "Kampanya");
        ObjectNode context = page.putObject("context");
        context.putObject("page").put("url", "https://shop.example/kampanya?utm_source=instagram").put("path", "/kampanya")
                .put("referrer", "https://instagram.com/").put("title", "Kampanya").put("search", "?utm_source=instagram");
        context.putObject("campaign").put("source", "instagram").put("name", "kis").put("medium", "social");
        context.put("userAgent", "Mozilla/5.0").put("locale", "tr-TR").put("ip", "203.0.113.7");
        context.putObject("library").put("name", "analytics.js").put("version", "next-1.70.0");
        messages.send(page);

        String customerId = awaitCustomer("anonymousId", anonymousId);
        given().get("/profiles/{id}/interactions", customerId).then().statusCode(200)
                .body("items[0].event", equalTo("page_view"))
                .body("items[0].name", equalTo("Landing"))
                .body("items[0].category", equalTo("Docs"))
                .body("items[0].properties.path", equalTo("/kampanya"))
                .body("items[0].context.page.referrer", equalTo("https://instagram.com/"))
                .body("items[0].context.campaign.source", equalTo("instagram"))
                .body("items[0].context.userAgent", equalTo("Mozilla/5.0"))
                .body("items[0].context.locale", equalTo("tr-TR"))
                .body("items[0].context.library.name", equalTo("analytics.js"))
                .body("items[0].context.ip", nullValue())
                .body("items[0].originalTimestamp", equalTo("2026-11-20T10:00:00Z"));
    }

    @Test
    void takesTheTraitsOfAnIdentifyFromItsContextAsRudderStacksBrowserSdkSendsThem() {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("context").putObject("traits").put("email", "Rudder.User@Example.com").put("firstName", "Deniz");
        identify.putObject("traits").put("firstName", "Deniz Ece");
        messages.send(identify);

        String customerId = awaitCustomer("userId", userId);
        given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("email", equalTo("Rudder.User@Example.com"))
                .body("firstName", equalTo("Deniz Ece"));
        given().get("/profiles/lookup?email={email}", "rudder.user@example.com").then().statusCode(200).body("customerId", equalTo(customerId));
    }

    @Test
    void aTurkishCapitalIInAnEmailIsTheSameAddressAsItsLowerCase() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String userId = "u-" + run;
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("email", "İLKER.DEMİR." + run + "@GMAIL.COM");
        messages.send(identify);
        String customerId = awaitCustomer("userId", userId);
        ObjectNode purchase = messages.transaction(null, "FUEL", "900", "2026-11-20T11:00:00Z").put("email", "ilker.demir." + run + "@gmail.com");
        messages.send(purchase);

        await().atMost(WAIT).untilAsserted(() -> given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("emailNormalized", equalTo("ilker.demir." + run + "@gmail.com"))
                .body("facts.transactionCount", equalTo(1)));
        given().get("/profiles/lookup?email={email}", "İlker.Demir." + run + "@gmail.com").then().statusCode(200)
                .body("customerId", equalTo(customerId));
    }

    @Test
    void resolvesIdentifiesByMessageTimeNotArrival() {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode newer = messages.message("identify", userId, null, "2026-11-20T12:00:00Z");
        newer.putObject("traits").put("firstName", "Zeynep").putObject("address").put("city", "Ankara");
        Messages.consent(newer, false, true, true);
        ObjectNode older = messages.message("identify", userId, null, "2026-11-20T08:00:00Z");
        older.putObject("traits").put("firstName", "Zeyno").put("lastName", "Kaya").putObject("address").put("city", "İzmir");
        Messages.consent(older, true, true, true);
        messages.send(newer);
        messages.send(older);

        await().atMost(WAIT).until(() -> messages.stored() == 2);
        String customerId = awaitCustomer("userId", userId);
        given().get("/profiles/{id}", customerId).then().statusCode(200)
                .body("firstName", equalTo("Zeynep"))
                .body("lastName", equalTo("Kaya"))
                .body("city", equalTo("Ankara"))
                .body("consents.advertising.granted", equalTo(false));
    }

    @Test
    void stitchesAnonymousActivityToTheCustomerOnceIdentified() {
        String anonymousId = "a-" + UUID.randomUUID();
        String userId = "u-" + UUID.randomUUID();
        messages.send(messages.track(null, anonymousId, "product_view", "2026-11-20T09:00:00Z"));
        messages.send(messages.track(null, anonymousId, "add_to_cart", "2026-11-20T09:01:00Z"));
        // The known customer bought fuel, still unlinked to the browser.
        messages.send(messages.transaction(userId, "FUEL", "900", "2026-11-19T09:00:00Z"));
        String visitor = awaitCustomer("anonymousId", anonymousId);
        String known = awaitCustomer("userId", userId);
        assertThat(visitor).isNotEqualTo(known);

        messages.send(messages.message("identify", userId, anonymousId, "2026-11-20T09:05:00Z"));

        await().atMost(WAIT).untilAsserted(() -> given().get("/profiles/lookup?anonymousId={id}", anonymousId).then()
                .statusCode(200).body("customerId", equalTo(known)));
        given().get("/profiles/{id}", visitor).then().statusCode(200).body("customerId", equalTo(known))
                .body("facts.interactionCount", equalTo(2))
                .body("facts.transactionCount", equalTo(1))
                .body("identities.value", hasItem(anonymousId));
        given().get("/profiles/{id}/interactions", known).then().body("items.event", contains("add_to_cart", "product_view"));
        KafkaTestClient.awaitRecords(Topics.PROFILES_CHANGED,
                record -> known.equals(record.key()) && record.value().contains(visitor), 1, WAIT);
    }

    @Test
    void sendsAPoisonMessageToTheDeadLetterTopicAndStoresItsNeighbours() {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode before = messages.track(userId, null, "page_view", "2026-11-20T10:00:00Z");
        ObjectNode poison = messages.track(userId, null, "page_view", "2026-11-20T10:01:00Z");
        ((ObjectNode) poison.get("properties")).put("note", "a NUL \u0000 no text column takes");
        ObjectNode after = messages.track(userId, null, "app_open", "2026-11-20T10:02:00Z");
        messages.send(before);
        messages.send(poison);
        KafkaTestClient.send(Topics.EVENTS_RAW, userId, "{not json");
        messages.send(after);

        await().atMost(WAIT).until(() -> messages.stored() == 2);
        String customerId = awaitCustomer("userId", userId);
        given().get("/profiles/{id}/interactions", customerId).then().body("items.event", contains("app_open", "page_view"));
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.awaitRecords(Topics.EVENTS_DLQ, record -> userId.equals(record.key()), 2, WAIT);
        assertThat(dead).extracting(record -> new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .anySatisfy(reason -> assertThat(reason).startsWith("cannot be processed"))
                .anySatisfy(reason -> assertThat(reason).startsWith("not a raw event"));
        assertThat(dead).extracting(ConsumerRecord::value).contains("{not json")
                .anySatisfy(value -> assertThat(value).contains(poison.get("messageId").asText()));
    }

    @Test
    void keepsFactsEqualToARecomputationFromTheStoredActivity() throws Exception {
        RandomMix.sendAndCheckFacts(messages);
    }

    private static JsonNode read(String json) {
        try {
            return Messages.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String awaitCustomer(String idType, String id) {
        return await().atMost(WAIT).until(() -> given().get("/profiles/lookup?" + idType + "={id}", id),
                response -> response.statusCode() == 200).path("customerId");
    }
}

package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.MessageBuilder;
import com.segment.analytics.messages.TrackMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console in Debian's Chromium, driven by Playwright (smoke-tests/sdk/console.mjs), against the running suite:
 * people sign in at the identity provider; a marketer builds a segment by clicking and sees the count the API's preview
 * gives, saves and evaluates it, and finds a customer whose personal data is masked; the owner sees it unmasked; a
 * viewer cannot read customers; the owner makes a write key and sees an event sent with it in the live debugger, and
 * connects Meta (the suite's stub), to which the marketer syncs the segment; the marketer exports it and downloads the
 * file. axe-core checks every page against WCAG 2.1 AA. Screenshots of the pages go to target/console-screenshots (docs/images has copies).
 */
@ExtendWith(LocalSuite.class)
class ConsoleIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A city only this run's customers live in, so the segment's size is known: three of five match. */
    private static final String CITY = "Konsolköy " + RUN;

    @BeforeAll
    static void installTheBrowser() throws Exception {
        NodeSdk.install();
    }

    @Test
    void aMarketerBuildsASegmentByClickingAndEachRoleSeesWhatItMay() throws Exception {
        List<MessageBuilder<?, ?>> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String userId = "console-" + RUN + "-" + i;
            messages.add(IdentifyMessage.builder().userId(userId).traits(Map.of("email", "konsol." + i + "." + RUN + "@example.com",
                    "firstName", "Ayşe", "lastName", "Yılmaz", "phone", "0532 111 22 3" + i, "address", Map.of("city", CITY)))
                    .context(Map.of("consent", Map.of("categoryPreferences", Map.of("advertising", true)))));
            // three viewed a product over 1,000 (the segment's rule), one a cheaper one, one nothing
            if (i < 4) {
                messages.add(TrackMessage.builder("product_view").userId(userId).properties(Map.of("sku", "TYRE-" + i, "price", i < 3 ? 1250 : 500)));
            }
        }
        TrackingLibrariesIT.sendWithSegmentsJavaLibrary(messages.toArray(MessageBuilder[]::new));
        String first = "console-" + RUN + "-0";
        given().port(port(8081)).auth().preemptive().basic("wk_pos_dev", "").contentType("application/json").body("""
                {"transactionId": "KNS-%s", "userId": "%s", "transactionType": "FUEL", "amount": "1250.40", "currency": "TRY",
                 "storeId": "IST-007"}""".formatted(RUN, first)).post("/v1/transactions").then().statusCode(200);
        String customerId = TrackingLibrariesIT.awaitCustomer(first);
        await().atMost(WAIT).until(() -> api(8082).get("/profiles/{id}", customerId).then().extract().<Integer>path("facts.transactionCount"),
                count -> count != null && count == 1);
        for (int i = 0; i < 4; i++) {
            String id = TrackingLibrariesIT.awaitCustomer("console-" + RUN + "-" + i);
            await().atMost(WAIT).until(() -> api(8082).get("/profiles/{id}", id).then().extract().<Integer>path("facts.interactionCount"),
                    count -> count != null && count == 1);
        }

        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        String name = "Konsol " + RUN;
        JsonNode seen = JSON.readTree(NodeSdk.run(Map.of("CONSOLE", "http://127.0.0.1:" + port(8083), "CITY", CITY,
                "EMAIL", "konsol.0." + RUN + "@example.com", "NAME", name, "SHOTS", shots.toString(), "INTAKE", "http://127.0.0.1:" + port(8081),
                "RUN", RUN), Duration.ofMinutes(6), "node", "console.mjs"));

        // Built by clicking: the count the builder showed is the API's preview of the definition it saved.
        assertThat(seen.path("language").asText()).isEqualTo("tr");
        assertThat(seen.path("problems")).as("the finished definition has no problem").isEmpty();
        String segmentId = seen.path("segmentId").asText();
        JsonNode saved = api(8083).get("/segments/{id}", segmentId).then().statusCode(200).extract().as(JsonNode.class);
        assertThat(saved.path("name").asText()).isEqualTo(name);
        JsonNode definition = saved.path("definition");
        assertThat(definition.path("logic").asText()).isEqualTo("AND");
        assertThat(definition.at("/conditions/1/where/0/field").asText()).isEqualTo("properties.price");
        assertThat(definition.at("/conditions/1/window").asText()).isEqualTo("P30D");
        assertThat(definition.at("/conditions/2/logic").asText()).isEqualTo("OR");
        int preview = api(8083).contentType("application/json").body(Map.of("definition", definition)).post("/segments/preview")
                .then().statusCode(200).extract().path("size");
        assertThat(preview).isEqualTo(3);
        assertThat(seen.path("liveCount").asInt()).as("the builder's live count").isEqualTo(preview);
        assertThat(seen.path("liveText").asText()).contains("3 müşteri");
        assertThat(seen.path("sql").asText()).contains("read_interactions_v1", "city_normalized");
        assertThat(seen.path("evaluatedSize").asInt()).as("evaluated on its page").isEqualTo(3);
        assertThat(seen.path("chart").asInt()).as("the size chart").isEqualTo(1);
        assertThat(seen.path("listed").asText().strip()).isEqualTo("3");

        // The customer's page: masked for the marketer, in Turkish money; unmasked for the owner, in English.
        assertThat(seen.path("customerId").asText()).isEqualTo(customerId);
        assertThat(seen.path("marketerEmail").asText()).isEqualTo("k***@example.com");
        assertThat(seen.path("maskedNote").asInt()).isEqualTo(1);
        assertThat(seen.path("marketerAmount").asText()).isEqualTo("1.250,40 ₺");
        assertThat(seen.path("marketerSegments").toString()).contains(name);
        assertThat(seen.path("ownerEmail").asText()).isEqualTo("konsol.0." + RUN + "@example.com");
        assertThat(seen.path("ownerMaskedNote").asInt()).isZero();
        assertThat(seen.path("ownerAmount").asText()).isEqualTo("TRY 1,250.40");
        assertThat(seen.path("viewerNewSegmentLinks").asInt()).isZero();
        assertThat(seen.path("viewerProblem").asText()).contains("needs the role");
        assertThat(seen.path("viewerEmail").asInt()).isZero();

        // Sources: a key made on the page works at once, and the event it sent over HTTP showed in the live debugger.
        assertThat(seen.path("keyRefusal").asText()).as("ingestion-service's refusal, naming the field").contains("/ratePerSecond");
        assertThat(seen.path("newKey").asText()).startsWith("wk_");
        assertThat(seen.path("snippetHasKey").asBoolean()).isTrue();
        assertThat(seen.path("debugSent").asInt()).isEqualTo(200);
        assertThat(seen.path("debuggerShows").asInt()).isEqualTo(1);
        assertThat(seen.path("debuggerPayload").asText()).contains("\"price\" : 99.5", "debugger-" + RUN);

        // Destinations and syncs: Meta connected by the owner, the segment synced by the marketer, the run complete.
        assertThat(seen.path("testResult").asText()).startsWith("OK");
        assertThat(seen.path("runStatus").asText()).isEqualTo("SUCCEEDED");
        assertThat(seen.path("runAdded").asText()).isEqualTo("3");
        assertThat(seen.path("runCoverage").asInt()).as("coverage rows per identifier").isGreaterThanOrEqualTo(2);
        JsonNode runs = api(8084).get("/syncs/{id}/runs", seen.path("syncId").asText()).then().statusCode(200).extract().as(JsonNode.class);
        assertThat(runs.path(0).path("rowsAdded").asInt()).isEqualTo(3);
        assertThat(LocalSuite.platforms().meta().audiences()).anySatisfy(audience -> assertThat(audience.toString()).contains(name));

        // Exports: the file downloaded through the console has a header and the three members.
        assertThat(seen.path("downloadName").asText()).startsWith("meta-").endsWith(".csv");
        assertThat(seen.path("downloadLines").asInt()).isEqualTo(4);

        // Accessible: axe-core finds no WCAG 2.1 A or AA violation on any page visited.
        assertThat(seen.path("accessibility").size()).isEqualTo(9);
        seen.path("accessibility").properties().forEach(page -> assertThat(page.getValue()).as("WCAG violations on " + page.getKey()).isEmpty());

        api(8084).delete("/syncs/{id}", seen.path("syncId").asText()).then().statusCode(204);
        api(8084).delete("/destinations/{id}", seen.path("destinationId").asText()).then().statusCode(204);
        api(8083).delete("/segments/{id}", segmentId).then().statusCode(204);
    }
}

package dev.cdp.segment.console;

import static dev.cdp.testing.Api.as;
import static dev.cdp.testing.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.cdp.segment.ProfileFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's segment pages as a browser receives them (the end-to-end run in Chromium is in smoke-tests'
 * ConsoleIT): in the reader's language, with the builder's live count equal to the API's preview, saving through the
 * API's own rules and roles.
 */
@QuarkusTest
class ConsolePagesTest {

    @BeforeAll
    static void loadProfiles() throws Exception {
        ProfileFixture.load();
    }

    @Test
    void speaksTheBrowsersLanguage() {
        given().header("Accept-Language", "tr-TR,tr;q=0.9,en;q=0.5").get("/console/segments").then().statusCode(200)
                .contentType(ContentType.HTML).body(containsString("<html lang=\"tr\">"), containsString("Segmentler"),
                        containsString("Yeni segment"));
        given().header("Accept-Language", "en-US,en;q=0.9").get("/console/segments").then().statusCode(200)
                .body(containsString("<html lang=\"en\">"), containsString("New segment"));
        given().header("Accept-Language", "de-DE").get("/console/segments").then().statusCode(200)
                .body(containsString("<html lang=\"en\">"));
    }

    @Test
    void theBuildersLiveCountIsThePreviewOfTheSameDefinition() {
        String definition = """
                {"logic": "AND", "conditions": [{"type": "profile", "field": "city", "operator": "eq", "value": "istanbul"}]}""";
        int expected = given().contentType(ContentType.JSON).body("{\"definition\": " + definition + "}").post("/segments/preview")
                .then().statusCode(200).extract().path("size");

        Response page = builder("n.logic", "AND", "n.0.type", "profile", "n.0.field", "city", "n.0.operator", "eq", "n.0.value", "istanbul");
        page.then().statusCode(200).body(containsString("data-size=\"" + expected + "\""), containsString("city_normalized"));
    }

    @Test
    void showsTheParsersProblemNextToTheField() {
        builder("n.logic", "AND", "n.0.type", "transaction", "n.0.metric", "count", "n.0.operator", "gte", "n.0.value", "three")
                .then().statusCode(200).body(containsString("class=\"problem\""), containsString("value "), not(containsString("data-size")));
    }

    @Test
    void addsAndRemovesConditionsAndGroups() {
        builder("n.logic", "AND", "n.0.type", "profile", "n.0.field", "city", "n.0.operator", "eq", "n.0.value", "x", "action", "add-group:n")
                .then().body(containsString("name=\"n.1.logic\""), containsString("name=\"n.1.0.type\""));
        builder("n.logic", "AND", "n.0.type", "profile", "n.0.field", "city", "n.0.operator", "eq", "n.0.value", "x",
                "n.1.type", "event", "n.1.operator", "gte", "n.1.value", "1", "action", "remove:n.0")
                .then().body(containsString("name=\"n.0.type\""), not(containsString("name=\"n.1.type\"")),
                        containsString("value=\"event\" selected"));
    }

    @Test
    void savesThroughTheApiAndOpensTheSegmentsPage() {
        String name = "Console " + UUID.randomUUID();
        Response saved = given().header("HX-Request", "true").contentType(ContentType.URLENC)
                .formParams("name", name, "description", "made in the console", "n.logic", "AND", "n.0.type", "event",
                        "n.0.event", "product_view", "n.0.operator", "gte", "n.0.value", "1", "n.0.window", "period", "n.0.period", "P365D")
                .post("/console/segments");
        saved.then().statusCode(200).header("HX-Redirect", startsWith("/console/segments/"));
        String id = saved.header("HX-Redirect").substring("/console/segments/".length());
        given().get("/segments/{id}", id).then().statusCode(200).body("name", equalTo(name))
                .body("definition.window", equalTo("P365D"));

        given().header("HX-Request", "true").post("/console/segments/{id}/refresh", id).then().statusCode(200);
        given().header("HX-Request", "true").post("/console/segments/{id}/refresh", id).then().statusCode(200);
        given().get("/console/segments").then().statusCode(200)
                .body(containsString("data-segment-id=\"" + id + "\""), containsString("class=\"sparkline\""));
        given().header("Accept-Language", "tr").get("/console/segments/{id}", id).then().statusCode(200)
                .body(containsString(name), containsString("<polyline"), containsString("read_interactions_v1"));
        given().header("HX-Request", "true").post("/console/segments/{id}/delete", id).then().statusCode(200);
        given().get("/segments/{id}", id).then().statusCode(404);
        given().get("/console/segments/{id}", id).then().statusCode(404).contentType(ContentType.HTML)
                .body(containsString("id=\"page-problem\""), containsString(id));
    }

    @Test
    void aTakenNameIsShownInTheBuilder() {
        String name = "Taken " + UUID.randomUUID();
        Object[] form = {"name", name, "n.logic", "AND", "n.0.type", "profile", "n.0.field", "email", "n.0.operator", "exists", "n.0.value", "true"};
        given().header("HX-Request", "true").contentType(ContentType.URLENC).formParams(params(form)).post("/console/segments")
                .then().header("HX-Redirect", startsWith("/console/segments/"));
        given().header("HX-Request", "true").contentType(ContentType.URLENC).formParams(params(form)).post("/console/segments")
                .then().statusCode(200).body(containsString("exists already"));
    }

    @Test
    void aViewerMayReadButNotBuild() {
        as("viewer").get("/console/segments").then().statusCode(200).body(not(containsString("/console/segments/new\"")));
        as("viewer").header("HX-Request", "true").contentType(ContentType.URLENC).formParams("n.logic", "AND")
                .post("/console/builder").then().statusCode(403);
    }

    @Test
    void aChangeMustComeFromTheConsolesPages() {
        given().contentType(ContentType.URLENC).formParams("name", "Forged", "n.logic", "AND").post("/console/segments")
                .then().statusCode(403).body(containsString("HX-Request"));
    }

    @Test
    void withoutASessionTheBrowserIsSentToSignIn() {
        io.restassured.RestAssured.given().redirects().follow(false).get("/console/segments").then().statusCode(302)
                .header("Location", containsString("/protocol/openid-connect/auth"));
    }

    @Test
    void saysPlainlyWhenAnotherServiceCannotBeReached() {
        // In these tests profile-service and ingestion-service are not running (the smoke tests' ConsoleIT has them).
        given().header("Accept-Language", "en").get("/console/events").then().statusCode(200)
                .body(containsString("profile-service cannot be reached now"), containsString("id=\"event-poller\""));
        given().header("Accept-Language", "en").get("/console/sources").then().statusCode(200)
                .body(containsString("ingestion-service cannot be reached now"), containsString("AnalyticsBrowser.load"),
                        containsString("cdnURL: 'http://127.0.0.1:8081'"));
        given().header("Accept-Language", "tr").get("/console/profiles/{id}", ProfileFixture.AYSE).then().statusCode(200)
                .body(containsString("profile-service şu anda erişilemiyor"));
        given().header("Accept-Language", "en").get("/console/destinations").then().statusCode(200)
                .body(containsString("export-service cannot be reached now"));
        given().header("Accept-Language", "en").get("/console/exports").then().statusCode(200)
                .body(containsString("export-service cannot be reached now"));
    }

    private static Response builder(String... form) {
        return given().header("HX-Request", "true").header("Accept-Language", "en").contentType(ContentType.URLENC)
                .formParams(params(form)).post("/console/builder");
    }

    private static java.util.Map<String, Object> params(Object... pairs) {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}

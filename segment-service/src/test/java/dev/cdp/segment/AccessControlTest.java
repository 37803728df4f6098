package dev.cdp.segment;

import static dev.cdp.testing.Api.given;
import static dev.cdp.testing.RoleMatrix.ADMINS;
import static dev.cdp.testing.RoleMatrix.ANY_USER;
import static dev.cdp.testing.RoleMatrix.MARKETERS;
import static dev.cdp.testing.RoleMatrix.MARKETERS_OR_SERVICE;
import static dev.cdp.testing.RoleMatrix.SERVICE_OR_PII_READERS;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.cdp.testing.RoleMatrix;
import dev.cdp.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Who may call what: every endpoint for every role, the service account's members stream, refused tokens. */
@QuarkusTest
class AccessControlTest {

    private static final Set<String> ANY_USER_OR_SERVICE = Set.of("viewer", "marketer", "admin", "pii-reader", "owner", "service");
    private static final String DEFINITION = "{\"type\": \"profile\", \"field\": \"city\", \"operator\": \"eq\", \"value\": \"izmir\"}";

    @Test
    void everyEndpointAnswersOnlyTheRolesItNames() {
        String segment = given().contentType(ContentType.JSON).body("{\"name\": \"Access " + UUID.randomUUID() + "\", \"definition\": "
                + DEFINITION + "}").post("/segments").then().statusCode(201).extract().path("id");
        String missing = UUID.randomUUID().toString();
        String customer = ProfileFixture.AYSE.toString();

        new RoleMatrix()
                .check("GET", "/segments", null, ANY_USER)
                .check("GET", "/segments/examples", null, ANY_USER)
                .check("GET", "/segments/" + segment, null, ANY_USER_OR_SERVICE)
                .check("GET", "/segments/" + segment + "/query", null, ANY_USER)
                .check("GET", "/segments/" + segment + "/history", null, ANY_USER)
                .check("POST", "/segments", "{\"name\": \"\"}", MARKETERS)
                .check("PUT", "/segments/" + missing, "{\"name\": \"x\", \"definition\": " + DEFINITION + "}", MARKETERS)
                .check("DELETE", "/segments/" + missing, null, MARKETERS)
                .check("POST", "/segments/preview", "{\"definition\": " + DEFINITION + "}", MARKETERS)
                .check("POST", "/segments/" + segment + "/refresh", null, MARKETERS)
                .check("GET", "/segments/" + segment + "/members", null, MARKETERS)
                .check("POST", "/segments/" + segment + "/members/lookup", "{\"customerIds\": [\"" + customer + "\"]}", SERVICE_OR_PII_READERS)
                .check("GET", "/profiles/" + customer + "/segments", null, MARKETERS)
                .check("POST", "/profiles/" + customer + "/segments/refresh", null, MARKETERS_OR_SERVICE)
                .check("GET", "/audit", null, ADMINS)
                .verify();
    }

    @Test
    void theMembersStreamIsForTheServiceAccountAndPiiReaders() {
        String segment = given().contentType(ContentType.JSON).body("{\"name\": \"Stream " + UUID.randomUUID() + "\", \"definition\": "
                + DEFINITION + "}").post("/segments").then().statusCode(201).extract().path("id");

        // export-service's call, with its client-credentials token
        RestAssured.given().auth().oauth2(TestTokens.service()).accept("application/x-ndjson")
                .get("/segments/{id}/members", segment).then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        // the same call without credentials
        RestAssured.given().accept("application/x-ndjson").get("/segments/{id}/members", segment).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("service or pii-reader"));
        // a marketer sees member ids (JSON), not their identifiers
        RestAssured.given().auth().oauth2(TestTokens.user("marketer")).accept("application/x-ndjson")
                .get("/segments/{id}/members", segment).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:role-missing"))
                .body("detail", equalTo("This needs the role service or pii-reader; the token does not have it"));
    }

    @Test
    void forgedAndExpiredTokensAreRefused() {
        for (String token : new String[] {TestTokens.forged("viewer"), TestTokens.selfSigned("admin"), "not-a-jwt"}) {
            RestAssured.given().auth().oauth2(token).get("/segments").then().statusCode(401)
                    .contentType("application/problem+json").body("type", equalTo("urn:cdp:problem:invalid-token"))
                    .header("WWW-Authenticate", containsString("invalid_token"));
        }
        String shortLived = TestTokens.shortLived("viewer");
        RestAssured.given().auth().oauth2(shortLived).get("/segments").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                RestAssured.given().auth().oauth2(shortLived).get("/segments").then().statusCode(401)
                        .body("type", equalTo("urn:cdp:problem:invalid-token")));
    }
}

package dev.cdp.export;

import static dev.cdp.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.cdp.export.stub.PlatformStubsResource;
import dev.cdp.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Destinations over HTTP: credentials that go in and never come out, validation, connection tests against the stubs. */
@QuarkusTest
class DestinationApiTest {

    @BeforeEach
    void resetStubs() {
        PlatformStubsResource.stubs.reset();
    }

    @Test
    void keepsCredentialsSealedAndNeverReturnsThem() throws Exception {
        String token = "EAAB-secret-token-" + UUID.randomUUID();
        Response created = create("{\"name\": \"Meta " + UUID.randomUUID() + "\", \"kind\": \"meta\", \"settings\": {\"adAccountId\": \"act_1234567\"}, "
                + "\"credentials\": {\"accessToken\": \"" + token + "\", \"appSecret\": \"app-secret\"}}");
        created.then().statusCode(201).body("kind", equalTo("META")).body("settings.adAccountId", equalTo("1234567"))
                .body("credentialsSet", hasItems("accessToken", "appSecret")).body("status", equalTo("ACTIVE"));
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain(token).doesNotContain("app-secret");
        assertThat(given().get("/destinations/{id}", id).asString()).doesNotContain(token);
        assertThat(given().get("/destinations").asString()).doesNotContain(token);
        try (Connection db = TestDatabase.admin();
                PreparedStatement select = db.prepareStatement("SELECT credentials FROM export.destinations WHERE id = ?::uuid")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                assertThat(new String(row.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(token);
            }
        }

        given().post("/destinations/{id}/test", id).then().statusCode(200).body("ok", equalTo(true)).body("httpStatus", equalTo(200));
    }

    @Test
    void namesEveryInvalidField() {
        create("{\"name\": \"\", \"kind\": \"META\", \"settings\": {\"adAccountId\": \"act_x\", \"region\": \"eu\"}, \"credentials\": {}, \"extra\": 1}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("/name", "/settings/adAccountId", "/settings/region", "/credentials/accessToken", "/extra"));
        create("{\"name\": \"w\", \"kind\": \"WEBHOOK\", \"settings\": {\"url\": \"http://example.com/hook\"}}")
                .then().statusCode(400).body("violations.field", hasItem("/settings/url"));
        create("{\"name\": \"w\", \"kind\": \"WEBHOOK\", \"settings\": {\"url\": \"https://example.com/hook\"}, "
                + "\"credentials\": {\"signingSecret\": \"short\"}}").then().statusCode(400).body("violations.field", hasItem("/credentials/signingSecret"));
        create("{\"name\": \"g\", \"kind\": \"GOOGLE\", \"settings\": {\"operatingAccountId\": \"123-456-7890\"}, \"credentials\": {\"refreshToken\": \"r\"}}")
                .then().statusCode(400).body("violations.field", hasItems("/credentials/clientId", "/credentials/clientSecret"));
        create("{\"name\": \"x\", \"kind\": \"SNAPCHAT\"}").then().statusCode(400).body("violations.field", hasItem("/kind"));
    }

    @Test
    void aWebhookGetsASigningSecretShownOnce() {
        String name = "Hook " + UUID.randomUUID();
        Response created = create("{\"name\": \"" + name + "\", \"kind\": \"WEBHOOK\", \"settings\": {\"url\": \"https://hooks.example.com/cdp\"}}");
        created.then().statusCode(201).body("signingSecret", startsWith("whsec_")).body("credentialsSet", hasItem("signingSecret"));
        given().get("/destinations/{id}", (String) created.path("id")).then().body("signingSecret", nullValue());
        create("{\"name\": \"" + name.toUpperCase(java.util.Locale.ROOT) + "\", \"kind\": \"WEBHOOK\", \"settings\": {\"url\": \"https://x.example.com\"}}")
                .then().statusCode(409).body("violations.field", hasItem("/name"));
    }

    @Test
    void aRefusedTestMarksTheDestinationAndNewCredentialsClearIt() {
        String id = create("{\"name\": \"TikTok " + UUID.randomUUID() + "\", \"kind\": \"TIKTOK\", \"settings\": {\"advertiserId\": \"7012345678\"}, "
                + "\"credentials\": {\"accessToken\": \"expired\"}}").path("id");
        given().post("/destinations/{id}/test", id).then().statusCode(200).body("ok", equalTo(false)).body("outcome", equalTo("AUTH_REFUSED"))
                .body("platformCode", equalTo("40102")).body("httpStatus", equalTo(200));
        given().get("/destinations/{id}", id).then().body("status", equalTo("NEEDS_ATTENTION")).body("attention", not(nullValue()));

        given().contentType(ContentType.JSON).body("{\"credentials\": {\"accessToken\": \"fresh-token\"}}").patch("/destinations/{id}", id)
                .then().statusCode(200).body("status", equalTo("ACTIVE")).body("attention", nullValue());
        given().post("/destinations/{id}/test", id).then().body("ok", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"kind\": \"META\"}").patch("/destinations/{id}", id).then().statusCode(400)
                .body("violations.field", hasItem("/kind"));
        given().delete("/destinations/{id}", id).then().statusCode(204);
        given().get("/destinations/{id}", id).then().statusCode(404);
    }

    @Test
    void testsGoogleWithARefreshedTokenAndReportsARefusedOne() {
        PlatformStubsResource.stubs.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/google-oauth/token")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"access_token\": \"ya29.fresh\", \"expires_in\": 3599}")));
        String id = create("{\"name\": \"Google " + UUID.randomUUID() + "\", \"kind\": \"GOOGLE\", \"settings\": {\"operatingAccountId\": \"123-456-7890\"}, "
                + "\"credentials\": {\"refreshToken\": \"1//refresh\", \"clientId\": \"client\", \"clientSecret\": \"secret\"}}").path("id");
        given().post("/destinations/{id}/test", id).then().body("ok", equalTo(true));
        PlatformStubsResource.stubs.google().unauthenticatedNext(1);
        given().post("/destinations/{id}/test", id).then().body("ok", equalTo(false)).body("outcome", equalTo("AUTH_REFUSED")).body("httpStatus", equalTo(401));
    }

    private static Response create(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/destinations");
    }
}

package dev.cdp.export.stub;

import static dev.cdp.export.stub.GoogleDataManagerStub.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.export.stub.PlatformStubs.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stubs answer as platform-apis.md says the platforms do, keep what they received, and fail on demand. */
class PlatformStubsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String E1 = DigestUtils.sha256Hex("mary@example.com");
    private static final String E2 = DigestUtils.sha256Hex("john@example.com");
    private static final String E3 = DigestUtils.sha256Hex("ayse@example.com");
    private static final String P1 = DigestUtils.sha256Hex("15559876543");
    private static final String BEARER = "Bearer good-token";

    private static PlatformStubs stubs;

    @BeforeAll
    static void start() {
        stubs = new PlatformStubs();
    }

    @AfterAll
    static void stop() {
        stubs.stop();
    }

    @AfterEach
    void reset() {
        stubs.reset();
    }

    // ---- Meta ----

    @Test
    void metaCreatesAnAudienceAndKeepsEveryRowItReceived() {
        String audience = metaAudience();
        assertThat(stubs.meta().audiences()).singleElement()
                .satisfies(created -> assertThat(created.name()).isEqualTo("VIP"))
                .satisfies(created -> assertThat(created.adAccountId()).isEqualTo("123"));

        Reply first = metaUsers("POST", audience, List.of("EMAIL", "PHONE"), List.of(List.of(E1, P1), List.of(E2, "")));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("audience_id").asText()).isEqualTo(audience);
        assertThat(first.json().get("session_id").asText()).matches("\\d+");
        assertThat(first.json().get("num_received").asInt()).isEqualTo(2);
        assertThat(first.json().get("num_invalid_entries").asInt()).isZero();
        assertThat(first.json().get("invalid_entry_samples").isEmpty()).isTrue();
        metaUsers("POST", audience, List.of("EMAIL", "PHONE"), List.of(List.of(E1, P1)));

        assertThat(stubs.meta().addedRows(audience)).containsExactly(List.of(E1, P1), List.of(E2, ""), List.of(E1, P1));
        assertThat(stubs.meta().audienceMembers(audience)).containsExactlyInAnyOrder(List.of(E1, P1), List.of(E2, ""));

        Reply removed = metaUsers("DELETE", audience, List.of("EMAIL", "PHONE"), List.of(List.of(E2, "")));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("num_received").asInt()).isEqualTo(1);
        assertThat(stubs.meta().removedRows(audience)).containsExactly(List.of(E2, ""));
        assertThat(stubs.meta().audienceMembers(audience)).containsExactly(List.of(E1, P1));
        JsonNode read = send("GET", meta("/" + audience + "?fields=name,approximate_count_lower_bound"), jsonBearer(), null).json();
        assertThat(read.get("approximate_count_lower_bound").asInt()).isEqualTo(1);
    }

    @Test
    void metaTakesFormParametersAndTheTokenInEveryPlace() {
        Reply created = send("POST", meta("/act_9/customaudiences"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "name=Form+audience&subtype=CUSTOM&customer_file_source=USER_PROVIDED_ONLY&access_token=good-token");
        assertThat(created.status()).isEqualTo(200);
        String audience = created.json().get("id").asText();
        String payload = "{\"schema\":\"EMAIL\",\"data\":[\"" + E1 + "\"]}";
        Reply added = send("POST", meta("/" + audience + "/users"), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "access_token=good-token&payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8));
        assertThat(added.status()).isEqualTo(200);
        assertThat(stubs.meta().audienceMembers(audience)).containsExactly(List.of(E1));

        assertThat(send("GET", meta("/me?fields=id,name"), Map.of("Authorization", BEARER), null).json().get("name").asText()).isNotEmpty();
        JsonNode account = send("GET", meta("/act_9?fields=name,account_status&access_token=t"), Map.of(), null).json();
        assertThat(account.get("account_status").asInt()).isEqualTo(1);
        assertThat(account.has("account_id")).isFalse();
    }

    @Test
    void metaRejectsMissingAndExpiredTokens() {
        Reply none = send("GET", meta("/me"), Map.of(), null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().at("/error/code").asInt()).isEqualTo(190);
        assertThat(none.json().at("/error/type").asText()).isEqualTo("OAuthException");
        assertThat(none.json().at("/error/fbtrace_id").asText()).isNotEmpty();

        Reply expired = send("GET", meta("/me"), Map.of("Authorization", "Bearer expired"), null);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().at("/error/error_subcode").asInt()).isEqualTo(463);
        assertThat(expired.json().at("/error/message").asText()).contains("Session has expired");
    }

    @Test
    void metaRejectsBadAudiencesAndBadPayloadsWithCode100() {
        Reply noName = send("POST", meta("/act_123/customaudiences"), jsonBearer(), "{\"subtype\":\"CUSTOM\","
                + "\"customer_file_source\":\"USER_PROVIDED_ONLY\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().at("/error/code").asInt()).isEqualTo(100);
        Reply lookalike = send("POST", meta("/act_123/customaudiences"), jsonBearer(), "{\"name\":\"x\",\"subtype\":\"LOOKALIKE\","
                + "\"customer_file_source\":\"USER_PROVIDED_ONLY\"}");
        assertThat(lookalike.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(stubs.meta().audiences()).isEmpty();

        String audience = metaAudience();
        List<List<String>> tooMany = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            tooMany.add(List.of(E1));
        }
        Reply rejected = metaUsers("POST", audience, List.of("EMAIL"), tooMany);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().at("/error/code").asInt()).isEqualTo(100);

        Reply malformed = metaUsers("POST", audience, List.of("EMAIL", "PHONE"), List.of(List.of(E1, P1), List.of(E2)));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(malformed.json().at("/error/message").asText()).contains("Data is missing or does not match schema");
        assertThat(stubs.meta().addedRows(audience)).as("rejected requests change nothing").isEmpty();

        Reply unknown = metaUsers("POST", "999", List.of("EMAIL"), List.of(List.of(E1)));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(unknown.json().at("/error/error_subcode").asInt()).isEqualTo(33);

        Reply override = send("POST", meta("/" + audience + "/users?method=DELETE"), jsonBearer(),
                usersBody(List.of("EMAIL"), List.of(List.of(E1)), null).toString());
        assertThat(override.status()).isEqualTo(400);
        assertThat(stubs.meta().removedRows(audience)).isEmpty();
    }

    @Test
    void metaCountsInvalidHashesButAnswers200() {
        String audience = metaAudience();
        Reply reply = metaUsers("POST", audience, List.of("EXTERN_ID", "EMAIL"),
                List.of(List.of("CUST-1", "Mary@Example.com"), List.of("CUST-2", E2), List.of("", E1.toUpperCase(Locale.ROOT))));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("num_received").asInt()).isEqualTo(3);
        assertThat(reply.json().get("num_invalid_entries").asInt()).isEqualTo(2);
        assertThat(reply.json().get("invalid_entry_samples").has("Mary@Example.com")).isTrue();
        assertThat(stubs.meta().audienceMembers(audience)).containsExactly(List.of("CUST-2", E2));
        assertThat(stubs.meta().addedRows(audience)).hasSize(3);
    }

    @Test
    void metaUsersReplaceFollowsTheSessionRules() {
        String audience = metaAudience();
        metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1)));

        Reply notFirst = metaReplace(audience, 77, 2, false, List.of(E2));
        assertThat(notFirst.json().at("/error/code").asInt()).isEqualTo(2650);
        assertThat(notFirst.json().at("/error/error_subcode").asInt()).isEqualTo(1870147);

        assertThat(metaReplace(audience, 77, 1, false, List.of(E2)).status()).isEqualTo(200);
        assertThat(stubs.meta().audienceMembers(audience)).as("unchanged until the last batch").containsExactly(List.of(E1));
        Reply other = metaReplace(audience, 78, 1, false, List.of(E3));
        assertThat(other.json().at("/error/error_subcode").asInt()).isEqualTo(1870145);

        assertThat(metaReplace(audience, 77, 2, true, List.of(E3)).status()).isEqualTo(200);
        assertThat(stubs.meta().audienceMembers(audience)).containsExactly(List.of(E2), List.of(E3));
        assertThat(stubs.meta().addedRows(audience)).containsExactly(List.of(E1), List.of(E2), List.of(E3));

        Reply finished = metaReplace(audience, 77, 3, true, List.of(E1));
        assertThat(finished.json().at("/error/error_subcode").asInt()).isEqualTo(1870159);
    }

    @Test
    void metaScenariosHappenNTimesThenTheDefaultAnswers() {
        String audience = metaAudience();
        stubs.meta().throttleNext(2, 3, 400);
        for (int i = 0; i < 2; i++) {
            Reply throttled = metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1)));
            assertThat(throttled.status()).isEqualTo(400);
            assertThat(throttled.json().at("/error/code").asInt()).isEqualTo(80003);
            JsonNode usage = parse(throttled.headers().firstValue("X-Business-Use-Case-Usage").orElseThrow());
            assertThat(usage.at("/123/0/type").asText()).isEqualTo("custom_audience");
            assertThat(usage.at("/123/0/estimated_time_to_regain_access").asInt()).isEqualTo(3);
        }
        assertThat(stubs.meta().addedRows(audience)).as("a throttled call applies nothing").isEmpty();
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(200);

        stubs.meta().tooManyRequestsNext(1, 7);
        Reply tooMany = metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1)));
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("7");

        stubs.meta().serverErrorNext(1);
        Reply unknown = metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1)));
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(1);
        assertThat(unknown.json().at("/error/error_subcode").asInt()).isEqualTo(99);

        stubs.meta().badGatewayHtmlNext(1);
        Reply html = metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1)));
        assertThat(html.status()).isEqualTo(502);
        assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");

        stubs.meta().expiredTokenNext(1);
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).json().at("/error/error_subcode").asInt())
                .isEqualTo(463);

        stubs.meta().graphErrorNext(1, 403, 200, null, "(#200) The current user can not update audience");
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(403);

        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(200);
        assertThat(stubs.meta().addedRows(audience)).hasSize(2);
    }

    @Test
    void metaDelayedAnswersStillApply() {
        String audience = metaAudience();
        stubs.meta().delayNext(1, 700);
        long start = System.nanoTime();
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(700);
        start = System.nanoTime();
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E2))).status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(700);
        assertThat(stubs.meta().addedRows(audience)).containsExactly(List.of(E1), List.of(E2));
    }

    // ---- Google Data Manager ----

    @Test
    void googleRequiresABearerToken() {
        Reply none = send("POST", google(":ingest"), Map.of("Content-Type", "application/json"), googleBody(1, "HEX").toString());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.json().at("/error/code").asInt()).isEqualTo(401);

        Reply expired = send("POST", google(":ingest"), Map.of("Authorization", "Bearer expired"), googleBody(1, "HEX").toString());
        assertThat(expired.status()).isEqualTo(401);
        assertThat(stubs.google().members("555")).isEmpty();
    }

    @Test
    void googleIngestsRemovesAndReportsStatus() {
        ObjectNode body = googleBody(0, "HEX");
        ArrayNode members = (ArrayNode) body.get("audienceMembers");
        members.add(userData(identifier("emailAddress", E1), identifier("phoneNumber", P1)));
        ObjectNode address = JSON.createObjectNode().put("givenName", E2).put("familyName", E3).put("regionCode", "TR")
                .put("postalCode", "34710");
        members.add(userData(JSON.createObjectNode().set("address", address)));
        Reply ingested = googleCall(":ingest", body);
        assertThat(ingested.status()).isEqualTo(200);
        String requestId = ingested.json().get("requestId").asText();
        assertThat(requestId).isNotEmpty();
        List<String> byAddress = member(E2 + "|" + E3 + "|TR|34710");
        assertThat(stubs.google().members("555")).containsExactlyInAnyOrder(member(P1, E1), byAddress);

        JsonNode processing = googleStatus(requestId);
        assertThat(processing.at("/requestStatusPerDestination/0/requestStatus").asText()).isEqualTo("PROCESSING");
        assertThat(processing.at("/requestStatusPerDestination/0/destination/productDestinationId").asText()).isEqualTo("555");
        stubs.google().uploadMatchRateRange("MATCH_RATE_RANGE_91_TO_100");
        JsonNode done = googleStatus(requestId).at("/requestStatusPerDestination/0");
        assertThat(done.get("requestStatus").asText()).isEqualTo("SUCCESS");
        JsonNode counts = done.at("/audienceMembersIngestionStatus/userDataIngestionStatus");
        assertThat(counts.get("recordCount").asText()).isEqualTo("2");
        assertThat(counts.get("userIdentifierCount").asText()).isEqualTo("3");
        assertThat(counts.get("uploadMatchRateRange").asText()).isEqualTo("MATCH_RATE_RANGE_91_TO_100");

        ObjectNode remove = googleBody(0, "HEX");
        remove.remove("termsOfService");
        ((ArrayNode) remove.get("audienceMembers")).add(userData(identifier("emailAddress", E1)));
        assertThat(googleCall(":remove", remove).status()).isEqualTo(200);
        assertThat(stubs.google().removedMembers("555")).containsExactly(member(E1));
        assertThat(stubs.google().members("555")).containsExactly(byAddress);
        assertThat(stubs.google().ingestedMembers("555")).containsExactly(member(E1, P1), byAddress);

        ObjectNode removeAll = JSON.createObjectNode();
        removeAll.set("destinations", googleBody(0, "HEX").get("destinations"));
        assertThat(googleCall(":removeAll", removeAll).json().get("requestId").asText()).isNotEmpty();
        assertThat(stubs.google().members("555")).isEmpty();
        assertThat(stubs.google().removeAllRequests("555")).isEqualTo(1);
    }

    @Test
    void googleRejectsUnknownFieldNamesAndAcceptsProtoNames() {
        ObjectNode body = googleBody(0, "HEX");
        ObjectNode address = JSON.createObjectNode().put("givenName", E2).put("familyName", E3).put("regionCode", "TR")
                .put("postalCode", "34710");
        ((ArrayNode) body.get("audienceMembers")).add(userData(JSON.createObjectNode().set("addressInfo", address)));
        Reply reply = googleCall(":ingest", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(reply.json().at("/error/message").asText()).contains("Unknown name \"addressInfo\"");
        JsonNode violation = reply.json().at("/error/details/0/fieldViolations/0");
        assertThat(violation.get("field").asText()).isEqualTo("audience_members[0].user_data.user_identifiers[0]");
        assertThat(stubs.google().members("555")).isEmpty();

        String snake = googleBody(1, "HEX").toString().replace("audienceMembers", "audience_members")
                .replace("productDestinationId", "product_destination_id");
        assertThat(send("POST", google(":ingest"), jsonBearer(), snake).status()).isEqualTo(200);
        assertThat(stubs.google().members("555")).hasSize(1);
    }

    @Test
    void googleFailsTheWholeRequestOnOneBadMember() {
        ObjectNode body = googleBody(3, "HEX");
        ArrayNode members = (ArrayNode) body.get("audienceMembers");
        members.set(1, userData(identifier("emailAddress", "mary@example.com")));
        members.set(2, userData(identifier("phoneNumber", P1.substring(1))));
        Reply reply = googleCall(":ingest", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/message").asText()).isEqualTo("There was a problem with the request.");
        JsonNode violations = reply.json().at("/error/details/2/fieldViolations");
        assertThat(violations).hasSize(2);
        assertThat(violations.get(0).get("field").asText()).isEqualTo("audience_members[1].user_data.user_identifiers[0].email_address");
        assertThat(violations.get(0).get("reason").asText()).isEqualTo("INVALID_HEX_ENCODING");
        assertThat(violations.get(1).get("field").asText()).isEqualTo("audience_members[2].user_data.user_identifiers[0].phone_number");
        assertThat(violations.get(1).get("reason").asText()).isEqualTo("INVALID_SHA256_FORMAT");
        assertThat(stubs.google().members("555")).as("fast-fail: nothing applied").isEmpty();
        assertThat(stubs.google().ingestedMembers("555")).isEmpty();
    }

    @Test
    void googleReadsBase64HashesAndKeepsThemAsHex() {
        ObjectNode invalid = googleBody(0, "BASE64");
        ((ArrayNode) invalid.get("audienceMembers")).add(userData(identifier("emailAddress", "not base64!")));
        assertThat(googleReason(invalid)).isEqualTo("INVALID_BASE64_ENCODING");

        ObjectNode body = googleBody(0, "BASE64");
        String base64 = Base64.getEncoder().encodeToString(DigestUtils.sha256("mary@example.com"));
        ((ArrayNode) body.get("audienceMembers")).add(userData(identifier("emailAddress", base64)));
        assertThat(googleCall(":ingest", body).status()).isEqualTo(200);
        assertThat(stubs.google().members("555")).containsExactly(member(E1));
    }

    @Test
    void googleEnforcesLimitsEncodingAndTermsOfService() {
        assertThat(googleReason(googleBody(10_001, "HEX"))).isEqualTo("TOO_MANY_AUDIENCE_MEMBERS");

        ObjectNode manyIds = googleBody(0, "HEX");
        ObjectNode[] identifiers = new ObjectNode[11];
        for (int i = 0; i < identifiers.length; i++) {
            identifiers[i] = identifier("emailAddress", DigestUtils.sha256Hex("user" + i + "@example.com"));
        }
        ((ArrayNode) manyIds.get("audienceMembers")).add(userData(identifiers));
        assertThat(googleReason(manyIds)).isEqualTo("TOO_MANY_USER_IDENTIFIERS");

        ObjectNode manyDestinations = googleBody(1, "HEX");
        ArrayNode destinations = (ArrayNode) manyDestinations.get("destinations");
        for (int i = 0; i < 10; i++) {
            destinations.add(destinations.get(0).deepCopy());
        }
        assertThat(googleReason(manyDestinations)).isEqualTo("TOO_MANY_DESTINATIONS");

        ObjectNode noEncoding = googleBody(1, "HEX");
        noEncoding.remove("encoding");
        assertThat(googleReason(noEncoding)).isEqualTo("REQUIRED_FIELD_MISSING");

        ObjectNode rejectedTerms = googleBody(1, "HEX");
        ((ObjectNode) rejectedTerms.get("termsOfService")).put("customerMatchTermsOfServiceStatus", "REJECTED");
        assertThat(googleReason(rejectedTerms)).isEqualTo("TERMS_AND_CONDITIONS_NOT_SIGNED");

        ObjectNode validateOnly = googleBody(1, "HEX").put("validateOnly", true);
        Reply validated = googleCall(":ingest", validateOnly);
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.json().isEmpty()).isTrue();
        assertThat(stubs.google().members("555")).isEmpty();
    }

    @Test
    void googleScenariosHappenNTimesThenTheDefaultAnswers() {
        stubs.google().resourceExhaustedNext(2);
        for (int i = 0; i < 2; i++) {
            Reply exhausted = googleCall(":ingest", googleBody(1, "HEX"));
            assertThat(exhausted.status()).isEqualTo(429);
            assertThat(exhausted.json().at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        }
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(200);

        stubs.google().unavailableNext(1);
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).json().at("/error/status").asText()).isEqualTo("UNAVAILABLE");
        stubs.google().unauthenticatedNext(1);
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(401);
        stubs.google().errorNext(1, 409, "ABORTED", "The operation was aborted.");
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(409);
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(200);
        assertThat(stubs.google().ingestedMembers("555")).hasSize(2);
    }

    // ---- TikTok ----

    @Test
    void tiktokAnswers404WithoutTheTrailingSlash() {
        Reply reply = send("POST", stubs.tiktok().baseUrl() + "/open_api/v1.3/segment/audience", tiktokHeaders("good"),
                "{\"custom_audience_name\":\"x\",\"advertiser_id\":\"42\",\"action\":\"create\"}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(stubs.tiktok().audiences()).isEmpty();
    }

    @Test
    void tiktokReportsTokenErrorsInTheEnvelopeWithHttp200() {
        Reply none = send("GET", tiktok("advertiser/info/?advertiser_ids=%5B%2242%22%5D"), Map.of(), null);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("code").asInt()).isEqualTo(40104);
        assertThat(none.json().get("request_id").asText()).isNotEmpty();
        assertThat(tiktokInfo("expired").get("code").asInt()).isEqualTo(40102);
        assertThat(tiktokInfo("invalid").get("code").asInt()).isEqualTo(40105);

        JsonNode info = tiktokInfo("anything");
        assertThat(info.get("code").asInt()).isZero();
        assertThat(info.at("/data/list/0/advertiser_id").asText()).isEqualTo("42");

        stubs.tiktok().acceptOnlyTokens("configured");
        assertThat(tiktokInfo("anything").get("code").asInt()).isEqualTo(40105);
        assertThat(tiktokInfo("configured").get("code").asInt()).isZero();
    }

    @Test
    void tiktokCreatesAudiencesAndMapsIds() {
        String audience = tiktokAudience();
        Reply added = tiktokMapping("add", audience, List.of(List.of(E1, P1), List.of(E2, "")));
        assertThat(added.json().get("code").asInt()).isZero();
        tiktokMapping("add", audience, List.of(List.of(E1, P1)));
        assertThat(stubs.tiktok().addedRows(audience)).containsExactly(List.of(E1, P1), List.of(E2, ""), List.of(E1, P1));
        assertThat(stubs.tiktok().audienceMembers(audience)).containsExactlyInAnyOrder(List.of(E1, P1), List.of(E2, ""));

        assertThat(tiktokMapping("delete", audience, List.of(List.of(E1, ""))).json().get("code").asInt()).isZero();
        assertThat(stubs.tiktok().removedRows(audience)).containsExactly(List.of(E1, ""));
        assertThat(stubs.tiktok().audienceMembers(audience)).containsExactly(List.of(E2, ""));
    }

    @Test
    void tiktokRejectsBadMappingsWholly() {
        String audience = tiktokAudience();
        ObjectNode shortRow = mappingBody("add", audience, List.of(List.of(E1, P1)));
        ((ArrayNode) shortRow.get("batch_data").get(0)).remove(1);
        assertThat(tiktokCall("segment/mapping/", shortRow).get("code").asInt()).isEqualTo(40002);
        assertThat(tiktokCall("segment/mapping/", mappingBody("append", audience, List.of(List.of(E1, P1)))).get("code").asInt())
                .isEqualTo(40002);
        assertThat(tiktokMapping("add", audience, List.of(List.of(E1, P1), List.of("mary@example.com", ""))).json().get("code").asInt())
                .isEqualTo(40002);
        assertThat(tiktokMapping("add", "404", List.of(List.of(E1, P1))).json().get("code").asInt()).isEqualTo(40007);
        List<List<String>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            tooMany.add(List.of(E1, P1));
        }
        Reply rejected = tiktokMapping("add", audience, tooMany);
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().get("code").asInt()).isEqualTo(40011);
        assertThat(stubs.tiktok().addedRows(audience)).isEmpty();
    }

    @Test
    void tiktokScenariosHappenNTimesThenTheDefaultAnswers() {
        String audience = tiktokAudience();
        stubs.tiktok().rateLimitedNext(2);
        for (int i = 0; i < 2; i++) {
            Reply limited = tiktokMapping("add", audience, List.of(List.of(E1, P1)));
            assertThat(limited.status()).isEqualTo(200);
            assertThat(limited.json().get("code").asInt()).isEqualTo(40100);
        }
        assertThat(tiktokMapping("add", audience, List.of(List.of(E1, P1))).json().get("code").asInt()).isZero();

        stubs.tiktok().badGatewayNext(1);
        Reply badGateway = tiktokMapping("add", audience, List.of(List.of(E1, P1)));
        assertThat(badGateway.status()).isEqualTo(502);
        assertThat(badGateway.body()).contains("502 Bad Gateway");

        stubs.tiktok().tokenExpiredNext(1);
        assertThat(tiktokMapping("add", audience, List.of(List.of(E1, P1))).json().get("code").asInt()).isEqualTo(40102);
        stubs.tiktok().codeNext(1, 40133, "Advertiser QPS limit exceeded.");
        assertThat(tiktokMapping("add", audience, List.of(List.of(E1, P1))).json().get("code").asInt()).isEqualTo(40133);
        assertThat(tiktokMapping("add", audience, List.of(List.of(E1, P1))).json().get("code").asInt()).isZero();
        assertThat(stubs.tiktok().addedRows(audience)).hasSize(2);
    }

    // ---- all platforms ----

    @Test
    void onePlatformDownLeavesTheOthersUp() {
        String metaAudience = metaAudience();
        String tiktokAudience = tiktokAudience();
        stubs.down(Platform.GOOGLE);
        Reply down = googleCall(":ingest", googleBody(1, "HEX"));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().at("/error/status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(metaUsers("POST", metaAudience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(200);
        assertThat(tiktokMapping("add", tiktokAudience, List.of(List.of(E1, P1))).json().get("code").asInt()).isZero();

        stubs.up(Platform.GOOGLE);
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(200);
        stubs.down(Platform.TIKTOK);
        assertThat(tiktokMapping("add", tiktokAudience, List.of(List.of(E1, P1))).status()).isEqualTo(503);
        stubs.down(Platform.META);
        assertThat(metaUsers("POST", metaAudience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(503);
    }

    @Test
    void faultHelpersOnlyTouchTheirOwnPlatform() {
        String audience = metaAudience();
        stubs.meta().serverErrorNext(1);
        stubs.google().unavailableNext(1);
        assertThat(tiktokInfo("good").get("code").asInt()).isZero();
        assertThat(googleCall(":ingest", googleBody(1, "HEX")).status()).isEqualTo(503);
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(500);
        assertThat(metaUsers("POST", audience, List.of("EMAIL"), List.of(List.of(E1))).status()).isEqualTo(200);
    }

    @Test
    void resetForgetsStateAndPendingFaults() {
        metaAudience();
        tiktokAudience();
        stubs.meta().serverErrorNext(1);
        stubs.down(Platform.TIKTOK);
        stubs.reset();
        assertThat(stubs.meta().audiences()).isEmpty();
        assertThat(stubs.tiktok().audiences()).isEmpty();
        assertThat(stubs.server().getAllServeEvents()).isEmpty();
        assertThat(send("GET", meta("/me"), Map.of("Authorization", BEARER), null).status()).isEqualTo(200);
        assertThat(tiktokInfo("good").get("code").asInt()).isZero();
    }

    // ---- helpers ----

    private static String meta(String path) {
        return stubs.meta().baseUrl() + "/v27.0" + path;
    }

    private static String metaAudience() {
        Reply created = send("POST", meta("/act_123/customaudiences"), jsonBearer(),
                "{\"name\":\"VIP\",\"subtype\":\"CUSTOM\",\"description\":\"d\",\"customer_file_source\":\"USER_PROVIDED_ONLY\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("id").asText()).matches("\\d+");
        return created.json().get("id").asText();
    }

    private static Reply metaUsers(String method, String audience, List<String> schema, List<List<String>> rows) {
        return send(method, meta("/" + audience + "/users"), jsonBearer(), usersBody(schema, rows, null).toString());
    }

    private static Reply metaReplace(String audience, long sessionId, int batch, boolean last, List<String> emails) {
        ObjectNode session = JSON.createObjectNode().put("session_id", sessionId).put("batch_seq", batch).put("last_batch_flag", last)
                .put("estimated_num_total", 2);
        return send("POST", meta("/" + audience + "/usersreplace"), jsonBearer(),
                usersBody(List.of("EMAIL"), emails.stream().map(List::of).toList(), session).toString());
    }

    private static ObjectNode usersBody(List<String> schema, List<List<String>> rows, ObjectNode session) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode payload = body.putObject("payload");
        schema.forEach(payload.putArray("schema")::add);
        payload.put("is_raw", true);
        ArrayNode data = payload.putArray("data");
        rows.forEach(row -> row.forEach(data.addArray()::add));
        if (session != null) {
            body.set("session", session);
        }
        return body;
    }

    private static String google(String method) {
        return stubs.google().baseUrl() + "/v1/audienceMembers" + method;
    }

    private static Reply googleCall(String method, ObjectNode body) {
        return send("POST", google(method), jsonBearer(), body.toString());
    }

    private static JsonNode googleStatus(String requestId) {
        return send("GET", stubs.google().baseUrl() + "/v1/requestStatus:retrieve?requestId=" + requestId, Map.of("Authorization", BEARER),
                null).json();
    }

    private static String googleReason(ObjectNode body) {
        Reply reply = googleCall(":ingest", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(stubs.google().ingestedMembers("555")).isEmpty();
        return reply.json().at("/error/details/2/fieldViolations/0/reason").asText();
    }

    /** An ingest body for list 555 with {@code members} one-email members. */
    private static ObjectNode googleBody(int members, String encoding) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode destination = body.putArray("destinations").addObject();
        destination.putObject("operatingAccount").put("accountType", "GOOGLE_ADS").put("accountId", "1234567890");
        destination.put("productDestinationId", "555");
        ArrayNode audienceMembers = body.putArray("audienceMembers");
        for (int i = 0; i < members; i++) {
            audienceMembers.add(userData(identifier("emailAddress", DigestUtils.sha256Hex("member" + i + "@example.com"))));
        }
        body.put("encoding", encoding);
        body.putObject("termsOfService").put("customerMatchTermsOfServiceStatus", "ACCEPTED");
        return body;
    }

    private static ObjectNode userData(ObjectNode... identifiers) {
        ObjectNode member = JSON.createObjectNode();
        ArrayNode list = member.putObject("userData").putArray("userIdentifiers");
        for (ObjectNode identifier : identifiers) {
            list.add(identifier);
        }
        return member;
    }

    private static ObjectNode identifier(String field, String value) {
        return JSON.createObjectNode().put(field, value);
    }

    private static String tiktok(String path) {
        return stubs.tiktok().baseUrl() + "/open_api/v1.3/" + path;
    }

    private static Map<String, String> tiktokHeaders(String token) {
        return Map.of("Access-Token", token, "Content-Type", "application/json");
    }

    private static JsonNode tiktokInfo(String token) {
        return send("GET", tiktok("advertiser/info/?advertiser_ids=%5B%2242%22%5D"), tiktokHeaders(token), null).json();
    }

    private static JsonNode tiktokCall(String path, ObjectNode body) {
        return send("POST", tiktok(path), tiktokHeaders("good"), body.toString()).json();
    }

    private static String tiktokAudience() {
        JsonNode created = tiktokCall("segment/audience/", JSON.createObjectNode().put("custom_audience_name", "VIP")
                .put("advertiser_id", "42").put("action", "create"));
        assertThat(created.get("code").asInt()).isZero();
        return created.at("/data/audience_id").asText();
    }

    private static Reply tiktokMapping(String action, String audience, List<List<String>> rows) {
        return send("POST", tiktok("segment/mapping/"), tiktokHeaders("good"), mappingBody(action, audience, rows).toString());
    }

    private static ObjectNode mappingBody(String action, String audience, List<List<String>> rows) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("advertiser_ids").add("42");
        body.put("action", action);
        body.putArray("id_schema").add("EMAIL_SHA256").add("PHONE_SHA256");
        ArrayNode batch = body.putArray("batch_data");
        for (List<String> row : rows) {
            ArrayNode cells = batch.addArray();
            for (String id : row) {
                ObjectNode cell = cells.addObject();
                if (!id.isEmpty()) {
                    cell.put("id", id).putArray("audience_ids").add(audience);
                }
            }
        }
        return body;
    }

    private static Map<String, String> jsonBearer() {
        return Map.of("Authorization", BEARER, "Content-Type", "application/json");
    }

    private static Reply send(String method, String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Reply(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            return parse(body);
        }
    }
}

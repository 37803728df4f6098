package dev.cdp.ingestion;

import static dev.cdp.testing.RoleMatrix.ADMINS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.cdp.testing.Api;
import dev.cdp.testing.RoleMatrix;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Write keys made, rotated and revoked over the API while senders use them, and each key's own rate and origins. */
@QuarkusTest
class WriteKeyApiTest {

    @Test
    void onlyAdminsManageKeys() {
        String id = UUID.randomUUID().toString();
        new RoleMatrix()
                .check("GET", "/write-keys", null, ADMINS)
                .check("POST", "/write-keys", "{}", ADMINS)
                .check("GET", "/write-keys/" + id, null, ADMINS)
                .check("PATCH", "/write-keys/" + id, "{}", ADMINS)
                .check("POST", "/write-keys/" + id + "/rotate", "{}", ADMINS)
                .check("DELETE", "/write-keys/" + id, null, ADMINS)
                .check("GET", "/audit", null, ADMINS)
                .verify();
    }

    @Test
    void aNewKeyWorksAtOnceAndIsShownOnlyOnce() {
        JsonPath created = create("{\"name\": \"Kiosk app\", \"source\": \"app\"}");
        String key = created.getString("key");
        assertThat(key).startsWith("wk_").hasSizeGreaterThan(30);
        assertThat(created.getString("keyHint")).startsWith(key.substring(0, 7)).endsWith(key.substring(key.length() - 4));
        assertThat(created.getString("status")).isEqualTo("ACTIVE");
        assertThat(created.getInt("ratePerSecond")).isEqualTo(1000);

        String userId = "u-" + UUID.randomUUID();
        track(key, userId, null).then().statusCode(200);
        assertThat(RawTopic.await(record -> userId.equals(record.path("userId").asText()), 1).get(0).path("source").asText())
                .isEqualTo("app");

        String listed = Api.as("admin").get("/write-keys").then().statusCode(200).extract().asString();
        assertThat(listed).contains(created.getString("id"), created.getString("keyHint")).doesNotContain(key);
        Api.as("admin").get("/write-keys/{id}", created.getString("id")).then().statusCode(200).body("key", nullValue())
                .body("createdBy", equalTo("admin"));

        // The key's making is in the audit log; the tracking calls, which carry keys and not people, are not.
        JsonPath audit = Api.as("admin").get("/audit?limit=500").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("items.path", String.class)).contains("/write-keys").noneMatch(path -> path.startsWith("/v1/"));
        assertThat(audit.prettify()).doesNotContain(key);
    }

    @Test
    void rotationAndRevocationDuringTrafficLoseNoCall() throws Exception {
        JsonPath first = create("{\"name\": \"Till 7\", \"source\": \"pos\", \"ratePerSecond\": 100000}");
        AtomicReference<String> current = new AtomicReference<>(first.getString("key"));
        String prefix = "u-rotation-" + UUID.randomUUID() + "-";
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sending = new ArrayList<>();
        for (int sender = 0; sender < 4; sender++) {
            int id = sender;
            sending.add(senders.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    statuses.add(track(current.get(), prefix + id + "-" + i, null).statusCode());
                }
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 40);
        JsonPath second = Api.as("admin").contentType(ContentType.JSON).body("{\"overlap\": \"PT1H\"}")
                .post("/write-keys/{id}/rotate", first.getString("id")).then().statusCode(201).extract().jsonPath();
        current.set(second.getString("key")); // senders move over while the old key still works
        for (Future<?> sent : sending) {
            sent.get();
        }
        senders.shutdown();
        assertThat(statuses).hasSize(240).containsOnly(200);
        assertThat(RawTopic.await(record -> record.path("userId").asText().startsWith(prefix), 240)).hasSize(240);

        Api.as("admin").get("/write-keys/{id}", first.getString("id")).then().statusCode(200)
                .body("status", equalTo("EXPIRING")).body("replacedBy", equalTo(second.getString("id")));
        track(first.getString("key"), "u-" + UUID.randomUUID(), null).then().statusCode(200); // within the overlap

        Api.as("admin").delete("/write-keys/{id}", first.getString("id")).then().statusCode(204);
        track(first.getString("key"), "u-" + UUID.randomUUID(), null).then().statusCode(401).contentType("application/problem+json");
        track(second.getString("key"), "u-" + UUID.randomUUID(), null).then().statusCode(200);

        JsonPath third = Api.as("admin").contentType(ContentType.JSON).body("{\"overlap\": \"PT0S\"}")
                .post("/write-keys/{id}/rotate", second.getString("id")).then().statusCode(201).extract().jsonPath();
        track(second.getString("key"), "u-" + UUID.randomUUID(), null).then().statusCode(401);
        track(third.getString("key"), "u-" + UUID.randomUUID(), null).then().statusCode(200);
        Api.as("admin").contentType(ContentType.JSON).body("{}").post("/write-keys/{id}/rotate", first.getString("id"))
                .then().statusCode(409).body("detail", containsString("REVOKED"));
    }

    @Test
    void aRunawayKeyIsLimitedAndTheOthersAreNot() {
        JsonPath runaway = create("{\"name\": \"Runaway\", \"source\": \"web\", \"ratePerSecond\": 5}");
        String key = runaway.getString("key");
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < 5; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\": \"track\", \"userId\": \"u-").append(UUID.randomUUID())
                    .append("\", \"event\": \"product_view\"}");
        }
        RestAssured.given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(batch.append("]}").toString())
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(5)); // a second's worth at once
        Response limited = track(key, "u-" + UUID.randomUUID(), null);
        limited.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:rate-limited")).body("detail", containsString("5 messages a second"));
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        track("wk_web_dev", "u-" + UUID.randomUUID(), null).then().statusCode(200); // another key of the same source
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> track(key, "u-" + UUID.randomUUID(), null).statusCode() == 200);

        // A higher rate applies to the next call, without a restart.
        for (int i = 0; i < 20 && track(key, "u-" + UUID.randomUUID(), null).statusCode() == 200; i++) {
            // empty the bucket again
        }
        Api.as("admin").contentType(ContentType.JSON).body("{\"ratePerSecond\": 1000, \"name\": \"Runaway, tamed\"}")
                .patch("/write-keys/{id}", runaway.getString("id")).then().statusCode(200)
                .body("ratePerSecond", equalTo(1000)).body("name", equalTo("Runaway, tamed")).body("source", equalTo("web"));
        track(key, "u-" + UUID.randomUUID(), null).then().statusCode(200);
        Api.as("admin").contentType(ContentType.JSON).body("{\"source\": \"app\"}").patch("/write-keys/{id}", runaway.getString("id"))
                .then().statusCode(400).body("violations[0].field", equalTo("/source"));
    }

    @Test
    void aKeyWithItsOwnOriginsTakesBrowserCallsFromThoseOnly() {
        String key = create("{\"name\": \"Shop\", \"source\": \"shop\", \"allowedOrigins\": [\"https://shop.example.com\"]}").getString("key");
        track(key, "u-" + UUID.randomUUID(), "https://shop.example.com").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example.com");
        track(key, "u-" + UUID.randomUUID(), "https://evil.example.com").then().statusCode(403)
                .body("type", equalTo("urn:cdp:problem:origin-not-allowed"));
        RestAssured.given().header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
                .options("/v1/track").then().header("Access-Control-Allow-Origin", "https://shop.example.com");
    }

    @Test
    void invalidKeysAreRefusedNamingEachField() {
        Api.as("admin").contentType(ContentType.JSON)
                .body("{\"source\": \"Web Site\", \"allowedOrigins\": [\"https://ok.example.com\", \"ftp://x\"], \"ratePerSecond\": 0, \"owner\": \"me\"}")
                .post("/write-keys").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("/name", "/source", "/allowedOrigins/1", "/ratePerSecond", "/owner"))
                .body("violations.field", not(hasItems("/allowedOrigins/0")));
        Api.as("admin").get("/write-keys/not-a-uuid").then().statusCode(400);
        Api.as("admin").delete("/write-keys/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    private static JsonPath create(String body) {
        return Api.as("admin").contentType(ContentType.JSON).body(body).post("/write-keys").then().statusCode(201)
                .extract().jsonPath();
    }

    private static Response track(String writeKey, String userId, String origin) {
        var request = RestAssured.given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON)
                .body("{\"userId\": \"" + userId + "\", \"event\": \"product_view\"}");
        if (origin != null) {
            request = request.header("Origin", origin);
        }
        return request.post("/v1/track");
    }
}

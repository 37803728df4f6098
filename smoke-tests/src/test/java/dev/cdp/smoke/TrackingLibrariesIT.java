package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
import static dev.cdp.smoke.LocalSuite.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.kotlin.core.Configuration;
import com.segment.analytics.kotlin.core.RequestFactory;
import com.segment.analytics.kotlin.core.Telemetry;
import com.segment.analytics.kotlin.core.compat.ConfigurationBuilder;
import com.segment.analytics.kotlin.core.compat.JavaAnalytics;
import com.segment.analytics.kotlin.core.utilities.InMemoryStorageProvider;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.MessageBuilder;
import com.segment.analytics.messages.TrackMessage;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tracking libraries that websites, apps and servers already use, unchanged, sending to the running suite; each
 * event is then found in its customer's profile over the API. In the browser: Segment's analytics.js and RudderStack's
 * JavaScript SDK in Debian's Chromium, on a page of another origin (smoke-tests/sdk/browser.mjs); on a server:
 * Segment's and RudderStack's Node SDKs (sdk/servers.mjs) and Segment's analytics-java; the mobile wire format (gzip
 * batches as text/plain, after a settings request): Segment's analytics-kotlin core, which the Android library is.
 * The npm packages are installed from the lock file, and Chromium from Debian, on first use.
 */
@ExtendWith(LocalSuite.class)
class TrackingLibrariesIT {

    private static final String INTAKE = "http://127.0.0.1:" + port(8081);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void installTheLibraries() throws Exception {
        NodeSdk.install();
    }

    @Test
    void analyticsJsAndRudderStacksBrowserSdkSendFromAPageOfAnotherOriginAndNothingIsLost() throws Exception {
        JsonNode visits = JSON.readTree(NodeSdk.run(Map.of("INTAKE", INTAKE, "WRITE_KEY", "wk_web_dev", "RUN", RUN),
                Duration.ofMinutes(3), "node", "browser.mjs")).get("visits");

        List<String> members = new ArrayList<>();
        for (JsonNode visit : visits) {
            String userId = visit.get("userId").asText();
            if (visit.get("mode").asText().equals("inline")) {
                continue; // the page of a refused origin, below
            }
            String customerId = awaitCustomer(userId);
            members.add(customerId);
            api(8082).get("/profiles/{id}", customerId).then().statusCode(200)
                    .body("email", org.hamcrest.Matchers.equalTo(visit.get("email").asText()));
            JsonNode interactions = awaitInteractions(customerId, 2);
            JsonNode page = find(interactions, "page_view");
            assertThat(page.get("name").asText()).as(userId).isEqualTo("Landing");
            assertThat(page.get("category").asText()).isEqualTo("Docs");
            assertThat(page.at("/properties/foo").asInt()).isEqualTo(1);
            assertThat(page.at("/context/page/path").asText()).isEqualTo("/" + visit.get("page").asText() + ".html");
            assertThat(page.at("/context/campaign/source").asText()).isEqualTo("instagram");
            assertThat(page.at("/context/campaign/name").asText()).isEqualTo("kis");
            assertThat(page.at("/context/locale").asText()).isEqualTo("tr-TR");
            assertThat(page.at("/context/userAgent").asText()).contains("Chrome");
            assertThat(page.at("/context/library/name").asText())
                    .isEqualTo(visit.get("page").asText().equals("segment") ? "analytics.js" : "RudderLabs JavaScript SDK");
            JsonNode view = find(interactions, "product_view");
            assertThat(view.at("/properties/price").asInt()).isEqualTo(1250);
            assertThat(view.get("source").asText()).isEqualTo("web");
        }
        assertThat(members).as("analytics.js (standard and batching) and RudderStack (XHR and beacon)").hasSize(4);

        // The page of an origin the web source does not allow: the browser's preflight was refused, nothing was sent.
        JsonNode refused = visits.get(visits.size() - 1);
        assertThat(refused.get("failed")).as("the browser was refused").isNotEmpty();
        assertThat(refused.get("answered")).isEmpty();
        api(8082).get("/profiles/lookup?userId={id}", refused.get("userId").asText()).then().statusCode(404);

        // A marketer's question about what the libraries sent: who saw the page Landing from the Instagram campaign
        // and looked at a product over 1,000.
        String segmentId = api(8083).contentType("application/json").body("""
                {"name": "Landing from Instagram %s", "definition": {"logic": "AND", "conditions": [
                  {"type": "event", "event": "page_view", "operator": "gte", "value": 1, "window": "P1D", "where": [
                    {"field": "name", "operator": "eq", "value": "landing"},
                    {"field": "context.campaign.source", "operator": "eq", "value": "Instagram"}]},
                  {"type": "event", "event": "product_view", "operator": "gte", "value": 1, "where": [
                    {"field": "properties.price", "operator": "gt", "value": 1000}]}]}}""".formatted(RUN))
                .post("/segments").then().statusCode(201).extract().path("id");
        try {
            api(8083).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
            for (String customerId : members) {
                assertThat(api(8083).get("/profiles/{id}/segments", customerId).then().statusCode(200)
                        .extract().jsonPath().getList("segmentId", String.class)).contains(segmentId);
            }
        } finally {
            api(8083).delete("/segments/{id}", segmentId).then().statusCode(204);
        }
    }

    @Test
    void segmentsAndRudderStacksNodeSdksSendFromAServerRudderStacksGzipped() throws Exception {
        JsonNode result = JSON.readTree(NodeSdk.run(Map.of("INTAKE", INTAKE, "WRITE_KEY", "wk_pos_dev", "RUN", RUN),
                Duration.ofMinutes(2), "node", "servers.mjs"));
        for (JsonNode user : List.of(result.at("/users/segment"), result.at("/users/rudder"))) {
            String customerId = awaitCustomer(user.asText());
            api(8082).get("/profiles/{id}", customerId).then().statusCode(200)
                    .body("phoneE164", org.hamcrest.Matchers.equalTo("+905321112233"));
            JsonNode interactions = awaitInteractions(customerId, 2);
            assertThat(find(interactions, "fuel_purchase_completed").at("/properties/amount").decimalValue()).isEqualByComparingTo("1250.4");
            JsonNode receipt = find(interactions, "page_view");
            assertThat(receipt.get("name").asText()).isEqualTo("Receipt");
            assertThat(receipt.get("category").asText()).isEqualTo("Account");
            assertThat(receipt.get("source").asText()).isEqualTo("pos");
        }
    }

    /**
     * analytics-kotlin, the core of Segment's Android library, on this JVM: it loads the source's settings, takes from
     * them where to send, and sends gzip batches to {@code /v1/b}. It always speaks https; the local run has no TLS, so
     * the request factory below swaps the scheme, and only the scheme: host, path, headers and body are the library's.
     */
    @Test
    void theMobileLibrarySendsGzipBatchesWhereTheSettingsSay() throws Exception {
        String userId = "kotlin-" + RUN;
        Telemetry.INSTANCE.setEnable(false);
        Configuration configuration = new ConfigurationBuilder("wk_app_dev")
                .setApplication(new Object())
                .setCdnHost("127.0.0.1:" + port(8081) + "/v1")
                .setApiHost("nowhere.invalid/v1") // the settings answer with the host to send to
                .setRequestFactory(new PlainHttp())
                .setFlushAt(3)
                .setFlushInterval(1)
                .build();
        configuration.setStorageProvider(new InMemoryStorageProvider());
        JavaAnalytics analytics = new JavaAnalytics(configuration);
        try {
            analytics.identify(userId, Map.of("email", userId + "@example.com"));
            analytics.screen("Wallet", Map.of("balance", 320), "Main");
            analytics.track("app_open", Map.of("version", "4.2.0"));
            String customerId = awaitCustomer(userId);
            JsonNode interactions = awaitInteractions(customerId, 2);
            JsonNode screen = find(interactions, "screen_view");
            assertThat(screen.get("name").asText()).isEqualTo("Wallet");
            assertThat(screen.get("category").asText()).isEqualTo("Main");
            assertThat(screen.at("/context/library/name").asText()).isEqualTo("analytics-kotlin");
            assertThat(find(interactions, "app_open").get("source").asText()).isEqualTo("app");
        } finally {
            analytics.getAnalytics().shutdown();
        }
    }

    /** Segment's Java library sends JSON batches to its default path, Segment's {@code /v1/import/}, keyless but for the body. */
    @Test
    void segmentsJavaLibrarySendsToItsDefaultPath() throws Exception {
        String userId = "java-" + RUN;
        sendWithSegmentsJavaLibrary(IdentifyMessage.builder().userId(userId).traits(Map.of("email", userId + "@example.com")),
                TrackMessage.builder("loyalty_signup").userId(userId).properties(Map.of("card", "LC-" + RUN)));
        String customerId = awaitCustomer(userId);
        assertThat(find(awaitInteractions(customerId, 1), "loyalty_signup").at("/properties/card").asText()).isEqualTo("LC-" + RUN);
    }

    /**
     * Sends with Segment's Java library as a shop's backend would (the {@code pos} source's key, the library's default
     * path), and waits until the library reports every message sent.
     */
    @SafeVarargs
    static void sendWithSegmentsJavaLibrary(MessageBuilder<?, ?>... messages) throws InterruptedException {
        CountDownLatch sent = new CountDownLatch(messages.length);
        AtomicInteger failed = new AtomicInteger();
        Analytics analytics = Analytics.builder("wk_pos_dev").endpoint(INTAKE).callback(new Callback() {
            @Override
            public void success(Message message) {
                sent.countDown();
            }

            @Override
            public void failure(Message message, Throwable throwable) {
                failed.incrementAndGet();
                sent.countDown();
            }
        }).build();
        try {
            for (MessageBuilder<?, ?> message : messages) {
                analytics.enqueue(message);
            }
            analytics.flush();
            assertThat(sent.await(60, TimeUnit.SECONDS)).as("the library reported every message").isTrue();
            assertThat(failed.get()).isZero();
        } finally {
            analytics.shutdown();
        }
    }

    /** Keeps every part of the library's request but the scheme, https, which the local run does not serve. */
    private static final class PlainHttp extends RequestFactory {
        @Override
        public HttpURLConnection openConnection(String url) {
            return super.openConnection(url.replaceFirst("^https://", "http://"));
        }
    }

    static String awaitCustomer(String userId) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(
                () -> api(8082).get("/profiles/lookup?userId={id}", userId),
                response -> response.statusCode() == 200).path("customerId");
    }

    /** The customer's interactions once there are at least {@code count}. */
    private static JsonNode awaitInteractions(String customerId, int count) throws IOException {
        Response response = await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(
                () -> api(8082).get("/profiles/{id}/interactions", customerId),
                found -> found.statusCode() == 200 && found.jsonPath().getList("items").size() >= count);
        return JSON.readTree(response.asString()).get("items");
    }

    private static JsonNode find(JsonNode interactions, String event) {
        for (JsonNode interaction : interactions) {
            if (interaction.get("event").asText().equals(event)) {
                return interaction;
            }
        }
        throw new AssertionError("no " + event + " among " + interactions);
    }
}

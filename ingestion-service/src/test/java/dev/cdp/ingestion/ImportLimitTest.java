package dev.cdp.ingestion;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** An import's size limit, the cap on reported errors, and lines that are too long. */
@QuarkusTest
@TestProfile(ImportLimitTest.SmallLimits.class)
class ImportLimitTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cdp.ingestion.max-import-bytes", "20000",
                    "cdp.ingestion.max-reported-errors", "3",
                    "cdp.ingestion.max-message-bytes", "200");
        }
    }

    @Test
    void refusesAFileOverTheLimit() {
        String lines = IntStream.range(0, 1000).mapToObj(i -> "{\"customer_id\": \"u\", \"event\": \"e\"}")
                .collect(Collectors.joining("\n"));
        upload(lines).statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:too-large"));
    }

    @Test
    void countsEveryBadLineButReportsTheFirstFew() {
        String lines = IntStream.range(0, 10).mapToObj(i -> "{\"customer_id\": \"u\"}").collect(Collectors.joining("\n"));
        upload(lines).statusCode(200)
                .body("accepted", equalTo(0))
                .body("rejected", equalTo(10))
                .body("errors", hasSize(3));
    }

    @Test
    void rejectsALineLongerThanAMessageMayBeAndReadsOn() {
        String run = UUID.randomUUID().toString();
        String lines = "{\"customer_id\": \"" + run + "\", \"event\": \"e\", \"p\": \"" + "x".repeat(300) + "\"}\n"
                + "{\"customer_id\": \"" + run + "\", \"event\": \"e\"}\n";
        upload(lines).statusCode(200)
                .body("accepted", equalTo(1))
                .body("errors[0].line", equalTo(1))
                .body("errors[0].detail", equalTo("is longer than 200 bytes"));
    }

    private static io.restassured.response.ValidatableResponse upload(String body) {
        return RawTopic.web().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/import?kind=interactions").then();
    }
}

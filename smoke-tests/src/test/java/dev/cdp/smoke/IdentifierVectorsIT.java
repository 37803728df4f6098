package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.port;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared identifier vectors ({@code ad-platform-vectors.tsv}) end to end, through services whose JVMs run with a
 * Turkish default locale ({@link LocalSuite}): each raw email and phone is sent in an identify over HTTP, stored by
 * profile-service, selected by a segment and exported to Meta, Google and TikTok; each platform's file must hold the
 * hash the vectors give. An identifier folded differently anywhere on the way (İ in an email, a phone's form) would
 * miss its hash.
 */
@ExtendWith(LocalSuite.class)
class IdentifierVectorsIT {

    private static final Path VECTORS = LocalSuite.ROOT.resolve("export-service/src/test/resources/ad-platform-vectors.tsv");
    private static final Pattern COUNTRY = Pattern.compile("(.*?)\\s*\\[country=([A-Z]{2})]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** One vector row: the platform, an email or a phone (with the country it is read in) as written, the expected hash. */
    private record Vector(String platform, boolean phone, String raw, String country, String hash) {
    }

    @Test
    void everyEmailAndPhoneVectorReachesEachPlatformsFileWithItsHash() throws Exception {
        List<Vector> vectors = vectors();
        assertThat(vectors).as("email and phone vectors for the three platforms").hasSizeGreaterThan(30);
        String tier = "vectors-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> sent = new LinkedHashSet<>();
        List<String> visitors = new ArrayList<>();
        for (Vector vector : vectors) {
            if (!sent.add(vector.raw() + "|" + vector.country())) {
                continue;
            }
            String anonymousId = tier + "-" + visitors.size();
            visitors.add(anonymousId);
            ObjectNode identify = JSON.createObjectNode().put("anonymousId", anonymousId);
            ObjectNode traits = identify.putObject("traits").put("segment", tier);
            traits.put(vector.phone() ? "phone" : "email", vector.raw());
            if (vector.country() != null) {
                traits.putObject("address").put("country", vector.country());
            }
            identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
            given().port(port(8081)).auth().preemptive().basic("wk_app_dev", "").contentType("application/json")
                    .body(identify.toString()).post("/v1/identify").then().statusCode(200);
        }
        for (String anonymousId : visitors) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                    .until(() -> given().port(port(8082)).get("/profiles/lookup?anonymousId={id}", anonymousId).statusCode() == 200);
        }

        String segmentId = given().port(port(8083)).contentType("application/json").body("""
                {"name": "%s", "definition": {"type": "profile", "field": "tier", "operator": "eq", "value": "%s"}}"""
                .formatted(tier, tier.toUpperCase(Locale.ROOT)))
                .post("/segments").then().statusCode(201).extract().path("id");
        try {
            given().port(port(8083)).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
            for (String platform : List.of("META", "GOOGLE", "TIKTOK")) {
                String file = export(segmentId, platform);
                List<String> missing = vectors.stream().filter(vector -> vector.platform().equals(platform))
                        .filter(vector -> !file.contains(vector.hash())).map(vector -> vector.raw() + " -> " + vector.hash()).toList();
                assertThat(missing).as(platform + " file holds every vector's hash").isEmpty();
            }
        } finally {
            given().port(port(8083)).delete("/segments/{id}", segmentId).then().statusCode(204);
        }
    }

    /** Exports the segment to the platform's file and answers the file's text. */
    private static String export(String segmentId, String platform) {
        String id = given().port(port(8084)).contentType("application/json")
                .body(Map.of("segmentId", segmentId, "platform", platform, "delivery", "FILE", "requestedBy", "vectors@smoke"))
                .post("/exports").then().statusCode(202).extract().path("id");
        String status = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> given().port(port(8084)).get("/exports/{id}", id).then().extract().<String>path("status"),
                        state -> state.equals("SUCCEEDED") || state.equals("FAILED"));
        assertThat(status).as("export " + platform).isEqualTo("SUCCEEDED");
        return given().port(port(8084)).get("/exports/{id}/file", id).then().statusCode(200).extract().asString();
    }

    /** The rows of the vectors that hash an email or a phone into one of the three platforms' files. */
    private static List<Vector> vectors() throws Exception {
        List<Vector> vectors = new ArrayList<>();
        List<String> lines = Files.readAllLines(VECTORS);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            String platform = cells[0];
            String field = cells[1].toUpperCase(Locale.ROOT);
            boolean email = field.startsWith("EMAIL");
            boolean phone = field.startsWith("PHONE");
            if (!List.of("META", "GOOGLE", "TIKTOK").contains(platform) || !(email || phone) || !cells[4].equals("sha256")) {
                continue;
            }
            String raw = JSON.readValue("\"" + cells[2].replace("\"", "\\\"") + "\"", String.class);
            String country = null;
            Matcher withCountry = COUNTRY.matcher(raw);
            if (phone && withCountry.matches()) {
                raw = withCountry.group(1);
                country = withCountry.group(2);
            }
            vectors.add(new Vector(platform, phone, raw, country, cells[5]));
        }
        return vectors;
    }
}

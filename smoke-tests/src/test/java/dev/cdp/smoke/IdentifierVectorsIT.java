package dev.cdp.smoke;

import static dev.cdp.smoke.LocalSuite.api;
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
 * The shared vectors ({@code ad-platform-vectors.tsv}) end to end, through services whose JVMs run with a Turkish
 * default locale ({@link LocalSuite}): each raw email, phone, name, city, state, zip, country, birth date and gender is
 * sent in an identify over HTTP, stored by profile-service, selected by a segment and exported to Meta, Google and
 * TikTok; each platform's file must hold the hash the vectors give. A value folded differently anywhere on the way (İ
 * in an email, a phone's form, a Turkish date) would miss its hash.
 */
@ExtendWith(LocalSuite.class)
class IdentifierVectorsIT {

    private static final Path VECTORS = LocalSuite.ROOT.resolve("export-service/src/test/resources/ad-platform-vectors.tsv");
    /** What a cell says beside the value: {@code [country=TR]}, {@code (US)}, {@code (TR province)}, {@code (TR DD.MM.YYYY)}. */
    private static final Pattern ANNOTATION = Pattern.compile("(.*?)\\s*[\\[(](?:country=)?([A-Z]{2}[^)\\]]*)[)\\]]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * One vector row: the platform, the trait it is sent as (an email or a phone identifies the customer; any other
     * trait goes with an email of its own, so the customer can be matched), its value as written, the country it is
     * read in (or null), and the expected hash.
     */
    private record Vector(String platform, String trait, String raw, String country, String hash) {
    }

    @Test
    void everyVectorReachesEachPlatformsFileWithItsHash() throws Exception {
        List<Vector> vectors = vectors();
        assertThat(vectors).as("the vectors of identifiers, names, address, birth year and gender for the three platforms")
                .hasSizeGreaterThan(60);
        String tier = "vectors-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> sent = new LinkedHashSet<>();
        List<String> visitors = new ArrayList<>();
        for (Vector vector : vectors) {
            if (!sent.add(vector.trait() + "|" + vector.raw() + "|" + vector.country())) {
                continue;
            }
            String anonymousId = tier + "-" + visitors.size();
            visitors.add(anonymousId);
            ObjectNode identify = JSON.createObjectNode().put("anonymousId", anonymousId);
            ObjectNode traits = identify.putObject("traits").put("segment", tier);
            if (!vector.trait().equals("email") && !vector.trait().equals("phone")) {
                traits.put("email", anonymousId + "@vectors.example.com");
            }
            if (List.of("city", "state", "postalCode", "country").contains(vector.trait())) {
                traits.with("address").put(vector.trait(), vector.raw());
            } else {
                traits.put(vector.trait(), vector.raw());
            }
            if (vector.country() != null) {
                traits.with("address").put("country", vector.country());
            }
            if (vector.trait().equals("firstName") || vector.trait().equals("lastName")) {
                // Google matches a name only with the whole of it and the address: first and last name, country, zip.
                traits.put(vector.trait().equals("firstName") ? "lastName" : "firstName", "Yılmaz");
                traits.with("address").put("country", "TR").put("postalCode", "34710");
            }
            identify.putObject("context").putObject("consent").putObject("categoryPreferences").put("advertising", true);
            given().port(port(8081)).auth().preemptive().basic("wk_app_dev", "").contentType("application/json")
                    .body(identify.toString()).post("/v1/identify").then().statusCode(200);
        }
        for (String anonymousId : visitors) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                    .until(() -> api(8082).get("/profiles/lookup?anonymousId={id}", anonymousId).statusCode() == 200);
        }

        String segmentId = api(8083).contentType("application/json").body("""
                {"name": "%s", "definition": {"type": "profile", "field": "tier", "operator": "eq", "value": "%s"}}"""
                .formatted(tier, tier.toUpperCase(Locale.ROOT)))
                .post("/segments").then().statusCode(201).extract().path("id");
        try {
            api(8083).post("/segments/{id}/refresh", segmentId).then().statusCode(200);
            for (String platform : List.of("META", "GOOGLE", "TIKTOK")) {
                String file = export(segmentId, platform);
                List<String> missing = vectors.stream().filter(vector -> vector.platform().equals(platform))
                        .filter(vector -> !file.contains(vector.hash())).map(vector -> vector.raw() + " -> " + vector.hash()).toList();
                assertThat(missing).as(platform + " file holds every vector's hash").isEmpty();
            }
        } finally {
            api(8083).delete("/segments/{id}", segmentId).then().statusCode(204);
        }
    }

    /** Exports the segment to the platform's file and answers the file's text. */
    private static String export(String segmentId, String platform) {
        String id = api(8084).contentType("application/json")
                .body(Map.of("segmentId", segmentId, "platform", platform, "delivery", "FILE", "requestedBy", "vectors@smoke"))
                .post("/exports").then().statusCode(202).extract().path("id");
        String status = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> api(8084).get("/exports/{id}", id).then().extract().<String>path("status"),
                        state -> state.equals("SUCCEEDED") || state.equals("FAILED"));
        assertThat(status).as("export " + platform).isEqualTo("SUCCEEDED");
        return api(8084).get("/exports/{id}/file", id).then().statusCode(200).extract().asString();
    }

    /**
     * The rows of the vectors that hash what a profile holds into one of the three platforms' files, as the recommended
     * rule (the rows marked WRONG or alt are what other tools do, not what the suite does, and initials and birth
     * months and days are not columns of the files). A cell may name alternatives ({@code Erkek / M / male}) and
     * where it is read ({@code (TR)}, {@code (US)}).
     */
    private static List<Vector> vectors() throws Exception {
        Map<String, String> traits = Map.ofEntries(Map.entry("EMAIL", "email"), Map.entry("PHONE", "phone"),
                Map.entry("FN", "firstName"), Map.entry("GIVEN_NAME", "firstName"), Map.entry("LN", "lastName"),
                Map.entry("FAMILY_NAME", "lastName"), Map.entry("CT", "city"), Map.entry("ST", "state"), Map.entry("ZIP", "postalCode"),
                Map.entry("COUNTRY", "country"), Map.entry("DOBY", "birthday"), Map.entry("GEN", "gender"));
        List<Vector> vectors = new ArrayList<>();
        List<String> lines = Files.readAllLines(VECTORS);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            String platform = cells[0];
            String field = cells[1].toUpperCase(Locale.ROOT);
            String trait = traits.get(field.split("[ _]")[0].equals("EMAIL") ? "EMAIL" : field.split("[ (/]")[0].replace("_SHA256", ""));
            if (!List.of("META", "GOOGLE", "TIKTOK").contains(platform) || trait == null || !cells[4].equals("sha256")
                    || field.contains("WRONG") || field.contains("ALT:")) {
                continue;
            }
            String written = JSON.readValue("\"" + cells[2].replace("\"", "\\\"") + "\"", String.class);
            String country = null;
            Matcher annotated = ANNOTATION.matcher(written);
            if (annotated.matches()) {
                written = annotated.group(1);
                country = annotated.group(2).contains("US") ? "US" : annotated.group(2).contains("TR") ? "TR" : null;
            }
            if (trait.equals("state") && country == null) {
                country = "US"; // a state named without its country is a US state in the vectors
            }
            for (String raw : trait.equals("email") ? List.of(written) : List.of(written.split(" / "))) {
                vectors.add(new Vector(platform, trait, raw, country, cells[5]));
            }
        }
        return vectors;
    }
}

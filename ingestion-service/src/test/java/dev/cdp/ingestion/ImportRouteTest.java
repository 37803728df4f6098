package dev.cdp.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** /v1/import: CSV and NDJSON files, streamed; bad lines reported by line and column; re-imports store nothing twice. */
@QuarkusTest
class ImportRouteTest {

    @Test
    void importsTransactionsFromCsvAndReportsTheBadLines() {
        String run = UUID.randomUUID().toString();
        String csv = """
                transaction_id,customer_id,type,amount,currency,store_id,transaction_date,items
                T1-%1$s,c1-%1$s,FUEL,1250.40,TRY,IST-007,2026-11-20 08:15:00,
                T2-%1$s,c1-%1$s,MARKET,-3,TRY,IST-007,2026-11-20 08:20:00,
                T3-%1$s,c2-%1$s,PURCHASE,"1,5",TRY,ANK-001,2026-11-21T10:00:00+03:00,
                T4-%1$s,c2-%1$s,PURCHASE,99.90,TRY,"ANK-001, Kızılay",2026-11-21,"[{""sku"": ""TEA"", ""quantity"": 1}]"
                T5-%1$s,c3-%1$s,FUEL,10,TRY,IST-001,2026-11-22 09:00:00,,extra
                """.formatted(run);

        upload("transactions", "text/csv", csv, "timezone=Europe/Istanbul")
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(3))
                .body("errors", hasSize(3))
                .body("errors[0].line", equalTo(3))
                .body("errors[0].field", equalTo("amount"))
                .body("errors[0].detail", equalTo("must not be negative"))
                .body("errors[1].line", equalTo(4))
                .body("errors[1].field", equalTo("amount"))
                .body("errors[2].line", equalTo(6))
                .body("errors[2].detail", equalTo("has 9 fields; the header has 8"));

        JsonNode fuel = RawTopic.awaitKey("c1-" + run, 1).get(0);
        assertThat(fuel.get("type").asText()).isEqualTo("transaction");
        assertThat(fuel.get("messageId").asText()).isEqualTo("transaction-T1-" + run);
        assertThat(fuel.get("occurredAt").asText()).isEqualTo("2026-11-20T05:15:00Z"); // Istanbul is UTC+3
        assertThat(fuel.at("/payload/transactionType").asText()).isEqualTo("FUEL");
        assertThat(fuel.at("/payload/amount").asText()).isEqualTo("1250.40");
        JsonNode purchase = RawTopic.awaitKey("c2-" + run, 1).get(0);
        assertThat(purchase.at("/payload/storeId").asText()).isEqualTo("ANK-001, Kızılay");
        assertThat(purchase.at("/payload/items/0/sku").asText()).isEqualTo("TEA");
    }

    @Test
    void importsCustomersWithTraitsAndConsents() {
        String run = UUID.randomUUID().toString();
        String csv = """
                customer_id;first_name;last_name;email;phone;city;country;segment;email_opt_in;sms_opt_in;ads_opt_in;updated_at
                C-%1$s;Ayşe;Yılmaz;Ayse.Yilmaz@Example.com;+90 532 111 22 33;İstanbul;Türkiye;premium;evet;hayır;1;2026-11-01T09:00:00Z
                C2-%1$s;Can;Öz;can@example.com;;Ankara;TR;standard;maybe;no;no;2026-11-01T09:00:00Z
                """.formatted(run);

        upload("customers", "text/csv", csv, null)
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("errors[0].line", equalTo(3))
                .body("errors[0].field", equalTo("email_opt_in"))
                .body("errors[0].detail", equalTo("must be true or false (yes/no, 1/0 also work)"));

        JsonNode identify = RawTopic.awaitKey("C-" + run, 1).get(0);
        assertThat(identify.get("type").asText()).isEqualTo("identify");
        assertThat(identify.at("/payload/traits/firstName").asText()).isEqualTo("Ayşe");
        assertThat(identify.at("/payload/traits/email").asText()).isEqualTo("Ayse.Yilmaz@Example.com");
        assertThat(identify.at("/payload/traits/address/city").asText()).isEqualTo("İstanbul");
        assertThat(identify.at("/payload/traits/segment").asText()).isEqualTo("premium");
        JsonNode consent = identify.at("/payload/context/consent/categoryPreferences");
        assertThat(consent.get("email").asBoolean()).isTrue();
        assertThat(consent.get("sms").asBoolean()).isFalse();
        assertThat(consent.get("advertising").asBoolean()).isTrue();
    }

    @Test
    void importsInteractionsFromNdjsonAndReportsTheBadLines() {
        String run = UUID.randomUUID().toString();
        String ndjson = """
                {"customer_id": "u-%1$s", "event_name": "product_view", "channel": "web", "properties": {"sku": "A1"}, "timestamp": "2026-11-20T10:00:00Z"}
                {"customer_id": "u-%1$s", "channel": "app"}
                this is not json

                ["an", "array"]
                {"anonymous_id": "a-%1$s", "event": "app_open", "channel": "app", "app_version": "5.2.0"}
                """.formatted(run);

        upload("interactions", "application/x-ndjson", ndjson, null)
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(3))
                .body("errors.line", equalTo(List.of(2, 3, 5)))
                .body("errors[0].field", equalTo("event"))
                .body("errors[1].detail", equalTo("is not valid JSON"))
                .body("errors[2].detail", equalTo("must be a JSON object"));

        JsonNode view = RawTopic.awaitKey("u-" + run, 1).get(0);
        assertThat(view.get("type").asText()).isEqualTo("track");
        assertThat(view.at("/payload/event").asText()).isEqualTo("product_view");
        assertThat(view.at("/payload/context/channel").asText()).isEqualTo("web");
        JsonNode open = RawTopic.awaitKey("a-" + run, 1).get(0);
        assertThat(open.at("/payload/properties/app_version").asText()).isEqualTo("5.2.0");
    }

    @Test
    void importingTheSameFileAgainGivesEveryRowTheSameMessageId() {
        String run = UUID.randomUUID().toString();
        String ndjson = """
                {"customer_id": "r-%1$s", "event": "page_view", "timestamp": "2026-11-20T10:00:00Z"}
                {"customer_id": "r-%1$s", "event": "page_view", "timestamp": "2026-11-20T10:05:00Z"}
                """.formatted(run);

        upload("interactions", "application/x-ndjson", ndjson, null).statusCode(200).body("accepted", equalTo(2));
        upload("interactions", "application/x-ndjson", ndjson, null).statusCode(200).body("accepted", equalTo(2));

        List<String> ids = RawTopic.awaitKey("r-" + run, 4).stream().map(event -> event.get("messageId").asText()).toList();
        assertThat(ids.subList(2, 4)).isEqualTo(ids.subList(0, 2));
        assertThat(ids.get(0)).isNotEqualTo(ids.get(1)).startsWith("import-");
    }

    @Test
    void refusesRequestsItCannotRead() {
        given().contentType("text/csv").body("a,b\n").post("/v1/import?kind=customers")
                .then().statusCode(401).contentType("application/problem+json");
        RawTopic.web().contentType("text/csv").body("a,b\n").post("/v1/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("kind"));
        RawTopic.web().contentType("application/json").body("{}").post("/v1/import?kind=customers")
                .then().statusCode(415).contentType("application/problem+json");
        RawTopic.web().contentType("text/csv").body("a,b\n").post("/v1/import?kind=customers&timezone=Mars/Base")
                .then().statusCode(400).body("violations[0].field", equalTo("timezone"));
    }

    @Test
    void importsAFileLargerThanAnApiBodyMayBe() {
        // 2 MB, over quarkus.http.limits.max-body-size (1 MB, which the JSON endpoints answer with a 413): a file is streamed
        String run = UUID.randomUUID().toString();
        StringBuilder csv = new StringBuilder("transaction_id,customer_id,type,amount,currency,store_id,transaction_date\n");
        int rows = 0;
        while (csv.length() < 2 * 1024 * 1024) {
            csv.append("T").append(rows++).append('-').append(run).append(",big-").append(run)
                    .append(",FUEL,10.00,TRY,IST-001,2026-11-20 08:15:00\n");
        }
        upload("transactions", "text/csv", csv.toString(), null).statusCode(200).body("accepted", equalTo(rows));
    }

    private static ValidatableResponse upload(String kind, String contentType, String body, String query) {
        return RawTopic.web().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/import?kind=" + kind + (query == null ? "" : "&" + query))
                .then();
    }
}

package dev.cdp.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Compressed bodies on every JSON endpoint and on /v1/import: decoded as they stream, the size limits applied to the
 * decoded bytes, broken and unknown encodings refused with a problem.
 */
@QuarkusTest
class CompressedBodyTest {

    @Test
    void acceptsAGzipBatchWithTheFormTypeOfRudderStacksNodeSdk() {
        String userId = "user-" + UUID.randomUUID();
        String batch = "{\"batch\": [" + IntStream.range(0, 50)
                .mapToObj(i -> "{\"type\": \"track\", \"userId\": \"%s\", \"event\": \"e%d\"}".formatted(userId, i))
                .collect(Collectors.joining(",")) + "], \"sentAt\": \"2026-12-01T10:00:00Z\"}";
        RawTopic.web().contentType("application/x-www-form-urlencoded").header("Content-Encoding", "gzip")
                .config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.BINARY)))
                .body(gzip(batch)).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(50));
        assertThat(RawTopic.awaitKey(userId, 50)).hasSize(50);
    }

    @Test
    void acceptsDeflateOnASingleCallAndGzipOnTransactions() {
        String userId = "user-" + UUID.randomUUID();
        RawTopic.web().header("Content-Encoding", "deflate")
                .body(deflate("{\"userId\": \"%s\", \"event\": \"product_view\"}".formatted(userId))).post("/v1/track")
                .then().statusCode(200);
        RawTopic.pos().header("Content-Encoding", "gzip")
                .body(gzip("""
                        {"userId": "%s", "transactionId": "T-%s", "transactionType": "FUEL", "amount": 1250.40, "currency": "TRY"}"""
                        .formatted(userId, userId)))
                .post("/v1/transactions")
                .then().statusCode(200).body("accepted", equalTo(1));
        assertThat(RawTopic.awaitKey(userId, 2)).extracting(event -> event.get("type").asText()).containsExactly("track", "transaction");
    }

    @Test
    void refusesABombByItsDecodedSize() {
        // 100 MB of spaces inside a message: about 100 KB on the wire, far over the 500 KB batch limit once decoded.
        byte[] bomb = gzip("{\"batch\": [{\"type\": \"track\", \"userId\": \"u\", \"event\": \"e\"" + " ".repeat(100_000_000) + "}]}");
        assertThat(bomb.length).isLessThan(200_000);
        RawTopic.web().header("Content-Encoding", "gzip").body(bomb).post("/v1/batch")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:too-large"))
                .body("detail", equalTo("A batch may be at most 512000 bytes once decoded; this gzip body decodes to more"));
    }

    @Test
    void refusesBrokenAndUnknownEncodings() {
        RawTopic.web().header("Content-Encoding", "gzip").body("{\"userId\": \"u\", \"event\": \"e\"}").post("/v1/track")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:malformed-encoding"));
        byte[] whole = gzip("{\"userId\": \"u\", \"event\": \"e\"}");
        RawTopic.web().header("Content-Encoding", "gzip").body(Arrays.copyOf(whole, whole.length - 6)).post("/v1/track")
                .then().statusCode(400)
                .body("detail", equalTo("The gzip body ended before its compressed data did"));
        RawTopic.web().header("Content-Encoding", "br").body(whole).post("/v1/track")
                .then().statusCode(415)
                .body("type", equalTo("urn:cdp:problem:unsupported-encoding"))
                .body("detail", containsString("Content-Encoding br is not supported"));
    }

    @Test
    void importsAGzipFileAsItStreams() {
        String run = UUID.randomUUID().toString();
        String ndjson = IntStream.range(0, 3000)
                .mapToObj(i -> "{\"customer_id\": \"c-%s\", \"event\": \"app_open\", \"timestamp\": \"2026-11-20T08:00:00Z\", \"n\": %d}".formatted(run, i))
                .collect(Collectors.joining("\n"));
        given().auth().preemptive().basic("wk_app_dev", "").contentType("application/x-ndjson").header("Content-Encoding", "gzip")
                .body(gzip(ndjson)).post("/v1/import?kind=interactions")
                .then().statusCode(200).body("accepted", equalTo(3000)).body("rejected", equalTo(0));
        assertThat(RawTopic.awaitKey("c-" + run, 3000)).hasSize(3000);
    }

    @Test
    void refusesABrokenGzipFile() {
        given().auth().preemptive().basic("wk_app_dev", "").contentType("text/csv").header("Content-Encoding", "gzip")
                .body("customer_id,event\nc,e\n".getBytes(StandardCharsets.UTF_8)).post("/v1/import?kind=interactions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:malformed-encoding"));
    }

    static byte[] gzip(String text) {
        return compressed(text, GZIPOutputStream::new);
    }

    private static byte[] deflate(String text) {
        return compressed(text, DeflaterOutputStream::new);
    }

    private interface Compressor {
        DeflaterOutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compressed(String text, Compressor compressor) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = compressor.wrap(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

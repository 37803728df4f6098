package dev.cdp.ingestion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdp.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Decoding as bodies really arrive: in chunks of any size, gzip members concatenated, and every way it can break. */
class ContentDecoderTest {

    private static final String TEXT = "{\"type\": \"track\", \"event\": \"fuel_purchase\", \"properties\": {\"liters\": 42.5}}\n".repeat(2000);

    @Test
    void decodesGzipAndDeflateWhateverTheChunksTheBodyArrivesIn() throws IOException {
        for (byte[] body : new byte[][] {gzip(TEXT), deflate(TEXT)}) {
            String encoding = body[0] == (byte) 0x1f ? "gzip" : "deflate";
            for (int chunk : new int[] {1, 2, 7, 10, 11, 4096, body.length}) {
                assertThat(decodeInChunks(body, encoding, chunk)).as(encoding + " in chunks of " + chunk).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void decodesEveryMemberOfConcatenatedGzipAndAHeaderWithAFileName() throws IOException {
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        concatenated.write(gzip("first half,"));
        concatenated.write(gzip("second half"));
        for (int chunk : new int[] {1, 3, 1000}) {
            assertThat(decodeInChunks(concatenated.toByteArray(), "gzip", chunk)).isEqualTo("first half,second half");
        }
        byte[] named = gzip("named");
        named[3] = 8; // FNAME: a zero-terminated name follows the 10-byte header
        byte[] withName = new byte[named.length + 9];
        System.arraycopy(named, 0, withName, 0, 10);
        System.arraycopy("data.csv\0".getBytes(StandardCharsets.ISO_8859_1), 0, withName, 10, 9);
        System.arraycopy(named, 10, withName, 19, named.length - 10);
        assertThat(decodeInChunks(withName, "gzip", 4)).isEqualTo("named");
    }

    @Test
    void refusesABodyCutShortCorruptedOrGoingOnAfterItsEnd() throws IOException {
        byte[] whole = gzip(TEXT);
        assertThatThrownBy(() -> decodeInChunks(Arrays.copyOf(whole, whole.length - 3), "gzip", 100))
                .hasMessage("The gzip body ended before its compressed data did");
        byte[] flipped = whole.clone();
        flipped[flipped.length - 6] ^= 1; // a byte of the CRC-32
        assertThatThrownBy(() -> decodeInChunks(flipped, "gzip", 100)).hasMessage("The gzip body's data does not match its checksum");
        assertThatThrownBy(() -> decodeInChunks(TEXT.getBytes(StandardCharsets.UTF_8), "gzip", 100))
                .hasMessage("The body is not gzip data, as its Content-Encoding says");
        byte[] deflated = deflate(TEXT);
        byte[] trailing = Arrays.copyOf(deflated, deflated.length + 2);
        assertThatThrownBy(() -> decodeInChunks(trailing, "deflate", 100))
                .hasMessage("The deflate body goes on after its compressed data ended");
        assertThatThrownBy(() -> decodeInChunks(new byte[0], "gzip", 1)).hasMessage("The gzip body ended before its compressed data did");
    }

    @Test
    void stopsABombAtTheLimitOfDecodedBytes() throws IOException {
        byte[] bomb = gzip(" ".repeat(50_000_000));
        ContentDecoder decoder = ContentDecoder.of("gzip", 1_000_000, size -> "over by " + (size - 1_000_000));
        long[] received = {0};
        assertThatThrownBy(() -> decoder.decode(bomb, piece -> received[0] += piece.length))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.status().getStatusCode()).isEqualTo(413));
        assertThat(received[0]).as("nothing past the limit was handed on").isLessThanOrEqualTo(1_000_000);
    }

    private static String decodeInChunks(byte[] body, String encoding, int chunk) {
        ContentDecoder decoder = ContentDecoder.of(encoding, 10_000_000, size -> "too large");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += chunk) {
            decoder.decode(Arrays.copyOfRange(body, at, Math.min(body.length, at + chunk)), out::writeBytes);
        }
        decoder.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}

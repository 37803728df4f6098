package dev.cdp.export.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdp.export.platform.Normalized;
import java.util.Random;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;

class HasherTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final Hasher hasher = new Hasher();

    @Test
    void hashesAsTheSpecsExamples() {
        assertThat(hasher.sha256Hex("mary@example.com")).startsWith("f1904cf1").endsWith("bb79");
        assertThat(hasher.sha256Hex("15559876543")).startsWith("1ef97083").endsWith("6a4e");
        assertThat(hasher.sha256Hex("valéry")).startsWith("08e1996b").endsWith("149c");
        assertThat(hasher.md5Hex("aece52e7-03ee-455a-b3c4-e57283966239")).isEqualTo("c570bb5e213b46ece6ff647adc07dfe0");
    }

    @Test
    void refusesToHashNothing() {
        assertThatThrownBy(() -> hasher.sha256Hex("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.sha256Hex(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.md5Hex("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(hasher.sha256(Normalized.absent())).isNull();
        assertThat(hasher.sha256(Normalized.invalid())).isNull();
        assertThat(hasher.md5(Normalized.absent())).isNull();
    }

    @Test
    void passesPrehashedValuesThrough() {
        Normalized prehashed = Normalized.prehashed("488ca96571b758c820ffac1386d6489ad489a3ac98fcb28e1287d4b4ffea0e4f");
        assertThat(hasher.sha256(prehashed)).isEqualTo(prehashed.value());
        assertThat(hasher.md5(prehashed)).as("a SHA-256 cannot become an MD5").isNull();
    }

    /** Reuse of the digest and buffers, ASCII and UTF-8 paths, long values: always what Commons Codec computes. */
    @Test
    void agreesWithCommonsCodecOnManyValues() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String value = randomText(random, 1 + random.nextInt(i % 100 == 0 ? 2_000 : 40));
            assertThat(hasher.sha256Hex(value)).as(value).isEqualTo(DigestUtils.sha256Hex(value)).isNotEqualTo(EMPTY_SHA256);
            assertThat(hasher.md5Hex(value)).as(value).isEqualTo(DigestUtils.md5Hex(value));
        }
    }

    private static String randomText(Random random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789@.+-_ şğüöçıİŞĞÜÖÇéЖ😀";
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
            out.appendCodePoint(cp);
        }
        return out.toString();
    }
}

package dev.cdp.export.hash;

import dev.cdp.export.platform.Normalized;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Lower-case hex SHA-256 (and MD5, only for the TikTok MAID_MD5 column) of normalized strings, UTF-8 encoded.
 *
 * <p>Not thread-safe: it reuses its digests and buffers, so an export job creates one and uses it from one thread.
 * ASCII input (almost every email, phone and transliterated name) is encoded into a reused byte buffer and the digest
 * is written into a reused array, so a hash costs one {@link String} besides the digest itself.
 *
 * <p>It refuses an empty string: {@code sha256("")} ({@code e3b0c442...b855}) matches nobody and only hides a missing
 * value. Callers pass a {@link Normalized}, which is never empty, or check first.
 */
public final class Hasher {

    private static final int SHA256_BYTES = 32;
    private static final int MD5_BYTES = 16;

    /** The two lower-case hex digits of each byte value, high then low: one lookup per byte of the digest. */
    private static final byte[] HEX_PAIRS = new byte[512];

    static {
        byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int b = 0; b < 256; b++) {
            HEX_PAIRS[2 * b] = digits[b >>> 4];
            HEX_PAIRS[2 * b + 1] = digits[b & 0x0f];
        }
    }

    private final MessageDigest sha256 = DigestUtils.getSha256Digest();
    private final MessageDigest md5 = DigestUtils.getMd5Digest();
    private final byte[] digest = new byte[SHA256_BYTES];
    private final byte[] hex = new byte[SHA256_BYTES * 2];
    private byte[] input = new byte[256];

    /** Lower-case hex SHA-256 of the UTF-8 bytes of a non-empty string. */
    public String sha256Hex(String normalized) {
        return hex(sha256, SHA256_BYTES, normalized);
    }

    /** Lower-case hex MD5 of the UTF-8 bytes of a non-empty string. Only where a platform format asks for MD5. */
    public String md5Hex(String normalized) {
        return hex(md5, MD5_BYTES, normalized);
    }

    /** The SHA-256 to send: the hash of a normalized value, a pre-hashed value as it is, null when there is none. */
    public String sha256(Normalized normalized) {
        return switch (normalized.status()) {
            case VALUE -> sha256Hex(normalized.value());
            case PREHASHED -> normalized.value();
            case ABSENT, INVALID -> null;
        };
    }

    /**
     * The MD5 to send, or null when there is none. A pre-hashed value is a SHA-256 and cannot become an MD5, so it
     * gives null too.
     */
    public String md5(Normalized normalized) {
        return normalized.status() == Normalized.Status.VALUE ? md5Hex(normalized.value()) : null;
    }

    private String hex(MessageDigest algorithm, int length, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("refusing to hash an empty value");
        }
        int size = asciiInto(value);
        if (size >= 0) {
            algorithm.update(input, 0, size);
        } else {
            algorithm.update(value.getBytes(StandardCharsets.UTF_8));
        }
        try {
            algorithm.digest(digest, 0, length);
        } catch (DigestException e) {
            throw new IllegalStateException("digest buffer too small", e);
        }
        for (int i = 0; i < length; i++) {
            int pair = 2 * (digest[i] & 0xff);
            hex[2 * i] = HEX_PAIRS[pair];
            hex[2 * i + 1] = HEX_PAIRS[pair + 1];
        }
        return new String(hex, 0, length * 2, StandardCharsets.ISO_8859_1); // a copy: Latin-1 is how Java holds ASCII
    }

    /** Copies an ASCII string into the input buffer and returns its length; -1 (nothing copied) if it is not ASCII. */
    private int asciiInto(String value) {
        int length = value.length();
        if (input.length < length) {
            input = new byte[Math.max(length, input.length * 2)];
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            input[i] = (byte) c;
        }
        return length;
    }
}

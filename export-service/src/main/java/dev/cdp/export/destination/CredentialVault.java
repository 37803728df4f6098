package dev.cdp.export.destination;

import dev.cdp.export.config.DeliveryConfig;
import dev.cdp.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals destination credentials with AES-256-GCM under the key from the environment. A sealed value is
 * {@code version(1) | nonce(12) | ciphertext+tag}; the destination id is authenticated with it, so a value copied to
 * another row does not open.
 */
@ApplicationScoped
public class CredentialVault {

    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public CredentialVault(DeliveryConfig config) {
        String encoded = config.credentialsKey().filter(k -> !k.isBlank()).orElseGet(() -> config.credentialsKeyFile().map(file -> {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("The credentials key file " + file + " cannot be read", e);
            }
        }).orElse(null));
        this.key = encoded == null ? null : key(encoded.strip());
    }

    static SecretKey key(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cdp.delivery.credentials-key must be base64 (of 32 random bytes)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("cdp.delivery.credentials-key must hold 32 bytes (AES-256), it holds " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public byte[] seal(UUID destinationId, byte[] clear) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(destinationId.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(clear);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] open(UUID destinationId, byte[] sealed) {
        if (sealed.length < 1 + NONCE || sealed[0] != VERSION) {
            throw new IllegalStateException("The credentials of destination " + destinationId + " are not in a known sealed form");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, requireKey(), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            cipher.updateAAD(destinationId.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("The credentials of destination " + destinationId
                    + " do not open with the configured key (was the key changed?); enter them again");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private SecretKey requireKey() {
        if (key == null) {
            throw new ProblemException(Status.SERVICE_UNAVAILABLE, "credentials-key-missing",
                    "export-service has no key to seal credentials with: set CDP_DELIVERY_CREDENTIALS_KEY (base64 of 32 random bytes) "
                            + "or CDP_DELIVERY_CREDENTIALS_KEY_FILE");
        }
        return key;
    }
}

package dev.cdp.testing;

import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens obtained from the test issuer the way a user and a service get them: a development user of the realm
 * logs in with its password through the {@code cdp-web} client; a service uses the client-credentials flow of
 * {@code cdp-services}. Tokens live an hour, longer than any test run, so each is fetched once.
 */
public final class TestTokens {

    /** The realm's all-access development user: {@code admin} and {@code pii-reader}. */
    public static final String OWNER = "owner";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    /** A token of the realm's development user of that name (viewer, marketer, admin, pii-reader, owner). */
    public static String user(String name) {
        return TOKENS.computeIfAbsent("user:" + name, key -> token(Map.of(
                "grant_type", "password", "client_id", "cdp-web", "username", name, "password", name)));
    }

    /** The suite's service account token ({@code service} role). */
    public static String service() {
        return TOKENS.computeIfAbsent("service", key -> token(Map.of(
                "grant_type", "client_credentials", "client_id", "cdp-services", "client_secret", "cdp-services-secret")));
    }

    /** A fresh token of the user that the realm lets live 2 seconds ({@code cdp-short-lived} client). */
    public static String shortLived(String name) {
        return token(Map.of("grant_type", "password", "client_id", "cdp-short-lived", "username", name, "password", name));
    }

    /** The user's real token with the claims changed to grant every role: the issuer's signature no longer matches. */
    public static String forged(String name) {
        String[] parts = user(name).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"groups\":\\[[^]]*]", "\"groups\":[\"viewer\",\"marketer\",\"admin\",\"pii-reader\",\"service\"]");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    /** The user's claims signed with a key of our own, under the issuer's key id: a token the issuer never made. */
    public static String selfSigned(String name) {
        try {
            String[] parts = user(name).split("\\.");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(generator.generateKeyPair().getPrivate());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Map<String, String> form) {
        return RestAssured.given().formParams(form)
                .post(TestKeycloak.issuer() + "/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}

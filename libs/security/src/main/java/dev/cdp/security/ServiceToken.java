package dev.cdp.security;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * This service's own access token for calling another service of the suite, from the identity provider with the
 * client-credentials flow ({@code quarkus.oidc-client.*}); fetched again shortly before it expires.
 */
@ApplicationScoped
public class ServiceToken {

    /** A token this close to expiry is replaced first: a call must not start with a token that ends during it. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);

    private final OidcClient client;
    private volatile Tokens tokens;

    public ServiceToken(OidcClient client) {
        this.client = client;
    }

    /** The {@code Authorization} header value. */
    public Uni<String> header() {
        Tokens current = tokens;
        if (current != null && (current.getAccessTokenExpiresAt() == null
                || Instant.ofEpochSecond(current.getAccessTokenExpiresAt()).isAfter(Instant.now().plus(MARGIN)))) {
            return Uni.createFrom().item("Bearer " + current.getAccessToken());
        }
        return client.getTokens().invoke(fetched -> tokens = fetched).map(fetched -> "Bearer " + fetched.getAccessToken());
    }

    /** The header for a blocking caller (the export and sync runners' threads). */
    public String headerBlocking() {
        return header().await().atMost(FETCH_TIMEOUT);
    }
}

package dev.cdp.segment.console;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in person's access token, as the {@code Authorization} header of a call made for them. */
final class UserToken {

    private UserToken() {
    }

    static String header(SecurityIdentity identity) {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (token == null) {
            throw new UnauthorizedException("no access token in this session");
        }
        return "Bearer " + token.getToken();
    }
}

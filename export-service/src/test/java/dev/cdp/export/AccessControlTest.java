package dev.cdp.export;

import static dev.cdp.testing.RoleMatrix.ADMINS;
import static dev.cdp.testing.RoleMatrix.ADMINS_OR_SERVICE;
import static dev.cdp.testing.RoleMatrix.SERVICE;
import static dev.cdp.testing.RoleMatrix.ANY_USER;
import static dev.cdp.testing.RoleMatrix.MARKETERS;

import dev.cdp.testing.RoleMatrix;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may start exports, download files, manage destinations and syncs; bodies are invalid so nothing changes. */
@QuarkusTest
class AccessControlTest {

    @Test
    void everyEndpointAnswersOnlyTheRolesItNames() {
        String id = UUID.randomUUID().toString();
        new RoleMatrix()
                .check("GET", "/exports", null, ANY_USER)
                .check("GET", "/exports/" + id, null, ANY_USER)
                .check("POST", "/exports", "{}", MARKETERS)
                .check("GET", "/exports/" + id + "/file", null, MARKETERS)
                .check("GET", "/destinations", null, ANY_USER)
                .check("GET", "/destinations/" + id, null, ANY_USER)
                .check("POST", "/destinations", "{}", ADMINS)
                .check("PATCH", "/destinations/" + id, "{}", ADMINS)
                .check("DELETE", "/destinations/" + id, null, ADMINS)
                .check("POST", "/destinations/" + id + "/test", null, ADMINS)
                .check("GET", "/destinations/" + id + "/conversions", null, ANY_USER)
                .check("PUT", "/destinations/" + id + "/conversions", "{}", ADMINS)
                .check("GET", "/destinations/" + id + "/conversions/dead-letters", null, ANY_USER)
                .check("GET", "/syncs", null, ANY_USER)
                .check("GET", "/syncs/" + id, null, ANY_USER)
                .check("POST", "/syncs", "{}", MARKETERS)
                .check("PATCH", "/syncs/" + id, "{}", MARKETERS)
                .check("DELETE", "/syncs/" + id, null, MARKETERS)
                .check("POST", "/syncs/" + id + "/runs", null, MARKETERS)
                .check("GET", "/syncs/" + id + "/runs", null, ANY_USER)
                .check("GET", "/syncs/" + id + "/runs/" + id, null, ANY_USER)
                .check("GET", "/syncs/" + id + "/runs/" + id + "/calls", null, ANY_USER)
                .check("GET", "/audit", null, ADMINS)
                .check("PUT", "/privacy/erasures/" + id, "{\"customerIds\": [\"" + id + "\"]}", SERVICE)
                .check("GET", "/privacy/erasures/" + id, null, ADMINS_OR_SERVICE)
                .verify();
    }
}

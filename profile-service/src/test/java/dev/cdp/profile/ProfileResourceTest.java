package dev.cdp.profile;

import static dev.cdp.testing.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import io.quarkus.test.junit.QuarkusTest;

/** Bad requests and unknown customers get problem+json answers naming the parameter. */
@QuarkusTest
class ProfileResourceTest {

    @Test
    void lookupNeedsExactlyOneIdentifier() {
        given().get("/profiles/lookup").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("userId"));
        given().get("/profiles/lookup?userId=a&anonymousId=b").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].detail", equalTo("give exactly one of userId, anonymousId, email, phone or loyaltyCard"));
    }

    @Test
    void namesAParameterHoldingTextThatCannotBeStored() {
        // PostgreSQL text cannot hold U+0000: a 400, never a failed statement (a URL's half of a surrogate pair is
        // invalid UTF-8, which arrives decoded as U+FFFD)
        given().urlEncodingEnabled(false).get("/profiles/lookup?userId=a%00b").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("userId"))
                .body("violations[0].detail", equalTo("holds a character that cannot be stored (U+0000, or half of a surrogate pair)"));
        given().urlEncodingEnabled(false).get("/profiles?city=%00").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("city"));
        given().urlEncodingEnabled(false).get("/profiles/a%00b").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("customerId"));
    }

    @Test
    void anUnknownCustomerIsNotFound() {
        given().get("/profiles/lookup?userId={id}", "nobody-" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:cdp:problem:not-found"));
        given().get("/profiles/{id}/interactions", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void namesAnInvalidCustomerIdOrLimit() {
        given().get("/profiles/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("customerId"));
        given().get("/profiles/{id}/interactions?limit=0", UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("limit"));
        given().get("/profiles/{id}/interactions?limit=lots", UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json");
    }
}

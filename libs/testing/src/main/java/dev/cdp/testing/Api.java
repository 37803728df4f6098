package dev.cdp.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** REST Assured requests that carry a user's bearer token, as the suite's management APIs require. */
public final class Api {

    private Api() {
    }

    /** A request as the all-access development user ({@link TestTokens#OWNER}). */
    public static RequestSpecification given() {
        return as(TestTokens.OWNER);
    }

    /** A request as the realm's development user of that name. */
    public static RequestSpecification as(String user) {
        return RestAssured.given().auth().oauth2(TestTokens.user(user));
    }

    /** A request as the suite's service account. */
    public static RequestSpecification asService() {
        return RestAssured.given().auth().oauth2(TestTokens.service());
    }
}

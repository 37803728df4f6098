package dev.cdp.testing;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks who may call an endpoint: without a token it is a 401 problem, for each development user of the realm and
 * the service account either allowed (anything but 401 and 403) or a 403 problem naming the role it lacks. Collects
 * every mismatch, so one run shows the whole matrix's failures.
 */
public final class RoleMatrix {

    /** The realm's development users and the service account ({@code service}). */
    public static final List<String> CALLERS = List.of("viewer", "marketer", "admin", "pii-reader", "owner", "service");
    public static final Set<String> ANY_USER = Set.of("viewer", "marketer", "admin", "pii-reader", "owner");
    public static final Set<String> MARKETERS = Set.of("marketer", "admin", "owner");
    public static final Set<String> MARKETERS_OR_SERVICE = Set.of("marketer", "admin", "owner", "service");
    public static final Set<String> ADMINS = Set.of("admin", "owner");
    public static final Set<String> SERVICE = Set.of("service");
    public static final Set<String> ADMINS_OR_SERVICE = Set.of("admin", "owner", "service");
    public static final Set<String> PROFILE_READERS = Set.of("marketer", "admin", "pii-reader", "owner");
    public static final Set<String> SERVICE_OR_PII_READERS = Set.of("service", "pii-reader", "owner");

    private final List<String> failures = new ArrayList<>();

    /** Calls {@code method path} (with a JSON body, or none) anonymously and as every caller. */
    public RoleMatrix check(String method, String path, String jsonBody, Set<String> allowed) {
        String endpoint = method + " " + path;
        Response anonymous = request(RestAssured.given(), method, path, jsonBody);
        if (anonymous.statusCode() != 401 || !anonymous.contentType().startsWith("application/problem+json")
                || anonymous.header("WWW-Authenticate") == null) {
            failures.add(endpoint + " without a token: " + anonymous.statusCode() + " " + anonymous.contentType());
        }
        for (String caller : CALLERS) {
            RequestSpecification as = caller.equals("service") ? Api.asService() : Api.as(caller);
            Response response = request(as, method, path, jsonBody);
            int status = response.statusCode();
            if (allowed.contains(caller) && (status == 401 || status == 403)) {
                failures.add(endpoint + " as " + caller + ": refused with " + status + ", expected allowed");
            } else if (!allowed.contains(caller) && (status != 403
                    || !response.jsonPath().getString("detail").startsWith("This needs the role "))) {
                failures.add(endpoint + " as " + caller + ": " + status + " " + response.asString() + ", expected a 403 problem");
            }
        }
        return this;
    }

    /** Fails with every mismatch found. */
    public void verify() {
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " access mismatches:\n" + String.join("\n", failures));
        }
    }

    private static Response request(RequestSpecification spec, String method, String path, String jsonBody) {
        if (jsonBody != null) {
            spec = spec.contentType("application/json").body(jsonBody);
        }
        return spec.request(method, path);
    }
}

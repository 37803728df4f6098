package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.ingestion.service.AllowedOrigins;
import dev.cdp.ingestion.service.WriteKeys;
import dev.cdp.problem.Problem;
import dev.cdp.problem.ProblemException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;

/**
 * CORS for the tracking endpoints, so that analytics.js and RudderStack's JavaScript SDK can send from a web page of
 * another origin. Both send an {@code Authorization} header (RudderStack also {@code AnonymousId} and {@code SentAt},
 * analytics.js {@code X-Retry-Count} on retries), so every call is preflighted. A preflight carries no write key: it is
 * answered for an origin that some source allows, naming that origin (never {@code *}, which does not cover
 * {@code Authorization} and allows no credentials); the call itself is then checked against its own source's origins
 * ({@link IntakeRequests#source}). Runs before the body is read, on every path under {@code /v1} and {@code /beacon},
 * and on RudderStack's {@code /sourceConfig}.
 */
@ApplicationScoped
public class BrowserAccess {

    /**
     * Every request header the tracking SDKs send: analytics.js adds X-Retry-Count on a retry, RudderStack's SDK its
     * Rsa-* headers on a retry or on sending what a closed page left behind.
     */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, AnonymousId, SentAt, X-Retry-Count, "
            + "Rsa-Retry-Attempt, Rsa-Retry-Reason, Rsa-Since-First-Attempt, Rsa-Since-Last-Attempt, Rsa-Recovered";
    /** How long a browser may reuse a preflight's answer (Chrome caps it at two hours). */
    static final String MAX_AGE_SECONDS = "7200";

    private final AllowedOrigins origins;
    private final WriteKeys writeKeys;
    private final ObjectMapper json;

    public BrowserAccess(AllowedOrigins origins, WriteKeys writeKeys, ObjectMapper json) {
        this.origins = origins;
        this.writeKeys = writeKeys;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route("/v1/*").order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(this::handle);
        router.route("/beacon/*").order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(this::handle);
        router.route("/sourceConfig*").order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        response.headers().add(HttpHeaders.VARY, "Origin");
        boolean allowed = origin != null && (origins.allowsAny(origin) || writeKeys.anyKeyAllows(origin));
        if (allowed) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
        }
        if (request.method() != HttpMethod.OPTIONS || request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) == null) {
            context.next();
            return;
        }
        if (!allowed) {
            refuse(context, origin);
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS")
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
        if ("true".equals(request.getHeader("Access-Control-Request-Private-Network"))) {
            response.putHeader("Access-Control-Allow-Private-Network", "true"); // a public site sending to an intranet intake
        }
        response.setStatusCode(204).end();
    }

    private void refuse(RoutingContext context, String origin) {
        ProblemException problem = new ProblemException(Status.FORBIDDEN, "origin-not-allowed", origin == null
                ? "A preflight must name its Origin"
                : "No source accepts calls from web pages of this origin; add it to CDP_ALLOWED_ORIGINS");
        try {
            context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(Problem.of(problem, context.request().path())));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}

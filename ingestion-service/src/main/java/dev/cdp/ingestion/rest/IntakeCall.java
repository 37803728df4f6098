package dev.cdp.ingestion.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** What an intake call says besides its body: how it authenticates, what the body is, and the page it comes from. */
public class IntakeCall {

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    @Parameter(description = "HTTP Basic: the source's write key as user name, an empty password")
    String authorization;

    @QueryParam("writeKey")
    @Parameter(description = "The write key, where a client cannot set headers (RudderStack's beacon transport)")
    String writeKey;

    @HeaderParam(HttpHeaders.CONTENT_TYPE)
    String contentType;

    @HeaderParam("Content-Encoding")
    @Parameter(description = "gzip or deflate for a compressed body; the size limits apply to the decoded bytes")
    String contentEncoding;

    @HeaderParam("Origin")
    String origin;

    /** The same, read from a request that is not served by a REST resource ({@code /v1/import}). */
    static IntakeCall of(HttpServerRequest request) {
        IntakeCall call = new IntakeCall();
        call.authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        call.writeKey = request.getParam("writeKey");
        call.contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        call.contentEncoding = request.getHeader("Content-Encoding");
        call.origin = request.getHeader("Origin");
        return call;
    }
}

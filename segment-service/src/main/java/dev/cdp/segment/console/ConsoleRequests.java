package dev.cdp.segment.console;

import dev.cdp.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;

/** Rules every console request follows. */
final class ConsoleRequests {

    private ConsoleRequests() {
    }

    /**
     * A change must come from the console's own pages: htmx sends {@code HX-Request}, which another site's form cannot
     * (a custom header needs a CORS preflight this service never grants). With the session cookie's SameSite=Lax, this
     * closes cross-site request forgery.
     */
    static void requireHtmx(HttpHeaders headers) {
        if (!"true".equals(headers.getHeaderString("HX-Request"))) {
            throw new ProblemException(Status.FORBIDDEN, "console-request-required",
                    "Changes through the console come from its own pages (the HX-Request header is missing)");
        }
    }
}

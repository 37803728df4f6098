package dev.cdp.segment;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    /** The segment API is in the OpenAPI document. */
    @Override
    protected String documentedPath() {
        return "/segments/{id}/refresh";
    }

    @Override
    protected String jsonEndpoint() {
        return "/segments";
    }
}

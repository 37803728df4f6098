package dev.cdp.export;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    /** The export API is in the OpenAPI document. */
    @Override
    protected String documentedPath() {
        return "/exports/{id}/file";
    }

    @Override
    protected String jsonEndpoint() {
        return "/exports";
    }
}

package dev.cdp.segment;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    /** No API of its own yet: its OpenAPI document still names the service. */
    @Override
    protected String documentedPath() {
        return "CDP segment-service API";
    }
}

package dev.cdp.profile;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    @Override
    protected String documentedPath() {
        return "/profiles/lookup";
    }

    @Override
    protected String jsonEndpoint() {
        return "/privacy/erasures";
    }
}

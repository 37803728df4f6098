package dev.cdp.ingestion;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    @Override
    protected String documentedPath() {
        return "/v1/import"; // from META-INF/openapi.yaml; the REST resources add /v1/track and the rest
    }
}

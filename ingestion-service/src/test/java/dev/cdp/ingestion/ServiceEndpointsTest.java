package dev.cdp.ingestion;

import dev.cdp.testing.StandardEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class ServiceEndpointsTest extends StandardEndpointsTest {

    @Override
    protected String documentedPath() {
        return "/v1/import"; // from META-INF/openapi.yaml; the REST resources add /v1/track and the rest
    }

    @Override
    protected String jsonEndpoint() {
        return "/v1/track";
    }

    @Override
    protected RequestSpecification caller() {
        return RawTopic.web();
    }
}

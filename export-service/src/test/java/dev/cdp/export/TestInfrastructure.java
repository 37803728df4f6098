package dev.cdp.export;

import dev.cdp.testing.LocalInfrastructure;
import dev.cdp.export.stub.PlatformStubsResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every test of this service runs against a real Kafka broker and PostgreSQL (see {@link LocalInfrastructure}), and
 * a stand-in for segment-service ({@link SegmentServiceStub}), and the ad platforms' APIs played by WireMock
 * ({@link PlatformStubsResource}).
 */
@WithTestResource(value = LocalInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SegmentServiceStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PlatformStubsResource.class, scope = TestResourceScope.GLOBAL)
public class TestInfrastructure {
}

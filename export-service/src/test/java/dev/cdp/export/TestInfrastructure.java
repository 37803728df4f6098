package dev.cdp.export;

import dev.cdp.testing.LocalInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every test of this service runs against a real Kafka broker and PostgreSQL (see {@link LocalInfrastructure}), and
 * a stand-in for segment-service ({@link SegmentServiceStub}).
 */
@WithTestResource(value = LocalInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SegmentServiceStub.class, scope = TestResourceScope.GLOBAL)
public class TestInfrastructure {
}

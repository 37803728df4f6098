package dev.cdp.profile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two consumer loops storing at once (as two replicas would) keep the same facts and identities as one. */
@QuarkusTest
@TestProfile(ConcurrentWritersTest.TwoWriters.class)
class ConcurrentWritersTest {

    public static class TwoWriters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cdp.profile.writers", "2", "cdp.profile.consumer.max.poll.records", "50");
        }
    }

    @Test
    void keepFactsEqualToARecomputationFromTheStoredActivity() throws Exception {
        RandomMix.sendAndCheckFacts(new Messages());
    }
}

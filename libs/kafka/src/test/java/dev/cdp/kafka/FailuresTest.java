package dev.cdp.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/** Which failures a consumer waits out and which dead-letter the record: the one rule every consumer follows. */
class FailuresTest {

    @Test
    void anUnreachableOrRestartingDependencyIsWaitedOut() {
        assertThat(Failures.isUnavailable(pg("08006"))).as("connection failure").isTrue();
        assertThat(Failures.isUnavailable(pg("57P01"))).as("the server shutting down").isTrue();
        assertThat(Failures.isUnavailable(pg("53300"))).as("too many connections").isTrue();
        assertThat(Failures.isUnavailable(pg("28000"))).as("the role may not log in").isTrue();
        assertThat(Failures.isUnavailable(new CompletionException(new IOException("connection reset")))).isTrue();
        assertThat(Failures.isUnavailable(new NotLeaderOrFollowerException("moving"))).as("Kafka's retriable errors").isTrue();
    }

    @Test
    void aFailureCausedByTheDataIsNotRetried() {
        assertThat(Failures.isUnavailable(pg("22P05"))).as("text PostgreSQL cannot hold").isFalse();
        assertThat(Failures.isUnavailable(pg("23505"))).as("a unique violation").isFalse();
        assertThat(Failures.isUnavailable(new RecordTooLargeException("too large"))).isFalse();
        assertThat(Failures.isUnavailable(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void anotherWriterGettingThereFirstIsPlannedAgainWithItsReason() {
        assertThat(Failures.contention(new CompletionException(new Contention("claimed", "taken")))).isEqualTo("claimed");
        assertThat(Failures.contention(pg("40P01"))).isEqualTo("deadlock");
        assertThat(Failures.contention(pg("40001"))).isEqualTo("serialization");
        assertThat(Failures.contention(pg("08006"))).isNull();
    }

    private static PgException pg(String sqlState) {
        return new PgException("failed", "ERROR", sqlState, null);
    }
}

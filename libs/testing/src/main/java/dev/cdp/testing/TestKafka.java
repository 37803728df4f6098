package dev.cdp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Kafka broker for this test JVM: {@code KAFKA_BOOTSTRAP_SERVERS} when set, otherwise a real broker started once,
 * on free ports, as a child process. The child stops when this JVM ends, however it ends: it watches its standard
 * input, which closes with us.
 */
public final class TestKafka {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /**
     * Where the broker's address is kept: a system property, because Quarkus loads this class again in a new class
     * loader for each test profile, and every one of them must find the same broker.
     */
    private static final String PROPERTY = "cdp.test.kafka.bootstrap-servers";

    private TestKafka() {
    }

    public static String bootstrapServers() {
        synchronized (System.class) {
            String bootstrapServers = System.getProperty(PROPERTY);
            if (bootstrapServers == null) {
                String configured = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
                bootstrapServers = configured != null && !configured.isBlank() ? configured : startBroker();
                System.setProperty(PROPERTY, bootstrapServers);
            }
            return bootstrapServers;
        }
    }

    private static String startBroker() {
        Path dir = DevTools.buildDirectory().resolve("test-kafka-" + ProcessHandle.current().pid());
        Path log = DevTools.buildDirectory().resolve("test-kafka.log");
        try {
            Process broker = DevTools.startChild("dev.cdp.devtools.LocalKafka", List.of(
                    "--dir", dir.toString(),
                    "--port", String.valueOf(DevTools.freePort()),
                    "--controller-port", String.valueOf(DevTools.freePort()),
                    "--ephemeral"), log);
            return DevTools.awaitReady(broker, dir.resolve("ready"), STARTUP_TIMEOUT, log, "the test Kafka broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test Kafka broker", e);
        }
    }
}

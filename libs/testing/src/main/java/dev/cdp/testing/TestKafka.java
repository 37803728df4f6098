package dev.cdp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
            Process broker = DevTools.command("dev.cdp.devtools.LocalKafka", List.of(
                            "--dir", dir.toString(),
                            "--port", String.valueOf(freePort()),
                            "--controller-port", String.valueOf(freePort()),
                            "--ephemeral"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker), "test-kafka-stop"));
            Path ready = dir.resolve("ready");
            Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
            while (!Files.exists(ready)) {
                if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
                    broker.destroyForcibly();
                    throw new IllegalStateException("the test Kafka broker did not start; its log:\n" + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return Files.readString(ready).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the test Kafka broker", e);
        }
    }

    /** Closing the broker's standard input is its signal to shut down cleanly. */
    private static void stop(Process broker) {
        try {
            broker.getOutputStream().close();
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            broker.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

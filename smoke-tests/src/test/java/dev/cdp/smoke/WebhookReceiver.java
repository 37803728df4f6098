package dev.cdp.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook destination's receiver: node with the Standard Webhooks reference library (npm {@code standardwebhooks}),
 * which verifies every request; each request it got is a JSON line in {@link #lines}.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String secret;
    final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    final int port;
    private final Process process;

    WebhookReceiver(int delayMillis) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        ProcessBuilder builder = new ProcessBuilder("node", "webhook-receiver.mjs").directory(NodeSdk.SDK.toFile()).redirectErrorStream(true);
        builder.environment().put("SECRET", secret);
        builder.environment().put("DELAY_MS", Integer.toString(delayMillis));
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("{")) {
                        lines.add(JSON.readTree(line));
                    }
                }
            } catch (Exception ignored) {
                // the receiver stopped
            }
        }, "webhook-receiver-output");
        reader.setDaemon(true);
        reader.start();
        JsonNode listening = lines.poll(30, TimeUnit.SECONDS);
        assertThat(listening).as("the receiver started").isNotNull();
        port = listening.path("listening").asInt();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

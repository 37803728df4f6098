package dev.cdp.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages the smoke tests drive (smoke-tests/sdk: the tracking libraries, playwright-core, the Standard
 * Webhooks library) and Debian's Chromium, installed on first use, and a way to run their scripts.
 */
final class NodeSdk {

    static final Path SDK = LocalSuite.ROOT.resolve("smoke-tests/sdk");

    private NodeSdk() {
    }

    /** npm ci from the lock file when node_modules is missing or older; Chromium from Debian when it is missing. */
    static synchronized void install() throws Exception {
        Path installed = SDK.resolve("node_modules/.package-lock.json"); // npm's record of what it installed
        if (!Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(SDK.resolve("package-lock.json"))) < 0) {
            run(Map.of(), Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            Map<String, String> quiet = Map.of("DEBIAN_FRONTEND", "noninteractive");
            run(quiet, Duration.ofMinutes(10), "apt-get", "update", "-q");
            run(quiet, Duration.ofMinutes(10), "apt-get", "install", "-y", "-q", "chromium");
        }
    }

    /** Runs a command in smoke-tests/sdk to its end and answers its last JSON line; fails with the output when it fails. */
    static String run(Map<String, String> env, Duration timeout, String... command) throws Exception {
        Path output = Files.createTempFile("cdp-smoke-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n" + Files.readString(output));
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + printed).isZero();
            return printed.lines().filter(line -> line.startsWith("{")).reduce((first, last) -> last).orElse(printed);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}

package dev.cdp.devtools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Keycloak, the local run's and the tests' OpenID Connect issuer (docs/decisions.md 28), from its distribution on
 * Maven Central, which the build unpacks into {@code libs/devtools/target/keycloak}:
 *
 * <pre>
 * java -cp ... dev.cdp.devtools.LocalKeycloak --dir DIR --port 8180 --realm deploy/k8s/quickstart/keycloak/cdp-realm.json [--ephemeral]
 * </pre>
 *
 * Keycloak runs as a child process in development mode with an in-memory database, so every start imports the realm
 * afresh and nothing is left on disk. Once the realm answers, the issuer URL is written to {@code DIR/ready}: callers
 * wait for that file. Keycloak stops with this process; with {@code --ephemeral} also when its standard input closes
 * (the test JVM that started it is gone).
 */
public final class LocalKeycloak {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

    private LocalKeycloak() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = options.dir.toAbsolutePath();
        Path ready = dir.resolve("ready");
        Files.createDirectories(dir);
        Files.deleteIfExists(ready);
        Path home = distribution();
        // Keycloak imports every realm file it finds in data/import of its home.
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.copy(options.realm, imports.resolve("cdp-realm.json"), StandardCopyOption.REPLACE_EXISTING);

        String base = "http://127.0.0.1:" + options.port;
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + options.port,
                // The issuer in tokens must be the address the services are configured with, whatever host a caller used.
                "--hostname=" + base, "--db=dev-mem", "--import-realm"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // kc.sh takes the heap from here; JAVA_OPTS would replace all its defaults.
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx256m -XX:TieredStopAtLevel=1");
        // The local run's marker, so that the server is known as part of this run (cdp status, the smoke test's check).
        String localRun = System.getProperty("cdp.home");
        if (localRun != null) {
            builder.environment().put("JAVA_OPTS_APPEND", "-Dcdp.home=" + localRun);
        }
        Process keycloak = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(keycloak, ready), "local-keycloak-shutdown"));
        if (options.ephemeral) {
            ParentWatch.exitWhenStdinCloses("local-keycloak-parent-watch");
        }

        String issuer = base + "/realms/cdp";
        awaitRealm(keycloak, issuer);
        Path pending = dir.resolve("ready.tmp");
        Files.writeString(pending, issuer + "\n");
        Files.move(pending, ready, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("LocalKeycloak ready: issuer " + issuer);
        System.exit(keycloak.waitFor());
    }

    /** The distribution the build unpacked next to this tool's classes: target/keycloak/keycloak-VERSION. */
    static Path distribution() throws Exception {
        Path unpacked = Path.of(LocalKeycloak.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("keycloak");
        try (Stream<Path> homes = Files.isDirectory(unpacked) ? Files.list(unpacked) : Stream.empty()) {
            return homes.filter(home -> Files.isRegularFile(home.resolve("bin/kc.sh"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Keycloak is not unpacked in " + unpacked
                            + ": build libs/devtools (./mvnw package)"));
        }
    }

    private static void awaitRealm(Process keycloak, String issuer) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (true) {
            if (!keycloak.isAlive()) {
                throw new IllegalStateException("Keycloak stopped while starting (exit " + keycloak.exitValue() + ")");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Keycloak did not serve " + issuer + " within " + STARTUP_TIMEOUT.toSeconds() + " s");
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private static void stop(Process keycloak, Path ready) {
        try {
            Files.deleteIfExists(ready);
            keycloak.destroy();
            if (!keycloak.waitFor(20, TimeUnit.SECONDS)) {
                keycloak.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            keycloak.destroyForcibly();
        }
    }

    private static final String USAGE = "LocalKeycloak --dir DIR --realm REALM.json [--port 8180] [--ephemeral]";

    private record Options(Path dir, int port, Path realm, boolean ephemeral) {

        static Options parse(String[] args) {
            Path dir = null;
            int port = 8180;
            Path realm = null;
            boolean ephemeral = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(value(args, ++i));
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--realm" -> realm = Path.of(value(args, ++i));
                    case "--ephemeral" -> ephemeral = true;
                    default -> usage("unknown option " + args[i]);
                }
            }
            if (dir == null || realm == null) {
                usage("--dir and --realm are required");
            }
            return new Options(dir, port, realm, ephemeral);
        }

        private static String value(String[] args, int i) {
            return ToolOptions.value(args, i, USAGE);
        }

        private static void usage(String problem) {
            ToolOptions.fail(problem, USAGE);
        }
    }
}

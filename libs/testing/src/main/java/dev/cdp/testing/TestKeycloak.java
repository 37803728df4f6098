package dev.cdp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The OpenID Connect issuer for this test JVM: {@code CDP_OIDC_ISSUER} when set, otherwise a real Keycloak with the
 * local run's realm (deploy/k8s/quickstart/keycloak/cdp-realm.json), started once as a child process (devtools
 * {@code LocalKeycloak}). It stops when this JVM ends, however it ends: it watches its standard input.
 */
public final class TestKeycloak {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);
    /** A system property: Quarkus loads this class again for each test profile, and all must find the same issuer. */
    private static final String PROPERTY = "cdp.test.oidc.issuer";
    private static Process starting;
    private static Path readyFile;
    private static final Path LOG = DevTools.buildDirectory().resolve("test-keycloak.log");

    private TestKeycloak() {
    }

    /** Starts Keycloak without waiting for it, so that it comes up while other things start. */
    public static void begin() {
        synchronized (System.class) {
            if (System.getProperty(PROPERTY) != null || starting != null || configured() != null) {
                return;
            }
            Path dir = DevTools.buildDirectory().resolve("test-keycloak-" + ProcessHandle.current().pid());
            try {
                Files.createDirectories(dir);
                starting = DevTools.startChild("dev.cdp.devtools.LocalKeycloak", List.of(
                        "--dir", dir.toString(),
                        "--port", String.valueOf(DevTools.freePort()),
                        "--realm", DevTools.root().resolve("deploy/k8s/quickstart/keycloak/cdp-realm.json").toString(),
                        "--ephemeral"), LOG);
                readyFile = dir.resolve("ready");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test Keycloak", e);
            }
        }
    }

    /** The issuer URL, such as {@code http://127.0.0.1:PORT/realms/cdp}; starts Keycloak and waits for it if needed. */
    public static String issuer() {
        synchronized (System.class) {
            String issuer = System.getProperty(PROPERTY);
            if (issuer == null) {
                issuer = configured();
                if (issuer == null) {
                    begin();
                    issuer = DevTools.awaitReady(starting, readyFile, STARTUP_TIMEOUT, LOG, "the test Keycloak");
                }
                System.setProperty(PROPERTY, issuer);
            }
            return issuer;
        }
    }

    private static String configured() {
        String configured = System.getenv("CDP_OIDC_ISSUER");
        return configured == null || configured.isBlank() ? null : configured;
    }
}

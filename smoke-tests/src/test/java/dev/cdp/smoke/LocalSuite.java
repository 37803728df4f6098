package dev.cdp.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdp.export.stub.PlatformStubs;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The whole suite, started the way the local run does ({@code deploy/local/cdp up}) on ports shifted by 10000, in its
 * own database and with a Turkish default locale in every service's JVM, once for every test class of this module that extends with it, and stopped after the last; the
 * stop checks that nothing was left running.
 */
final class LocalSuite implements BeforeAllCallback {

    static final int PORT_OFFSET = 10000;
    static final String DATABASE = "cdp_smoke";
    static final Path ROOT = Path.of(System.getProperty("cdp.root"));
    static final Path HOME = Path.of("target", "local-run").toAbsolutePath();
    private static final Map<String, String> TOKENS = new HashMap<>();
    private static final PlatformStubs PLATFORMS = new PlatformStubs();

    /** The suite's port of a service's usual port (8081 ingestion, 8082 profile, 8083 segment, 8084 export). */
    static int port(int usual) {
        return usual + PORT_OFFSET;
    }

    /**
     * A request to a management API (profile 8082, segment 8083, export 8084) as the local realm's all-access
     * development user, with the token {@code cdp token owner} prints, as a user of the local run gets one.
     */
    static RequestSpecification api(int usualPort) {
        return RestAssured.given().auth().oauth2(token("owner")).port(port(usualPort));
    }

    /** {@code deploy/local/cdp token USER}'s output. */
    static synchronized String token(String user) {
        return TOKENS.computeIfAbsent(user, key -> {
            try {
                Process token = cdp("token", user);
                assertThat(token.waitFor(1, TimeUnit.MINUTES)).as("cdp token finishes").isTrue();
                assertThat(token.exitValue()).as("cdp token succeeds; see target/local-run-token.log").isZero();
                List<String> lines = Files.readAllLines(HOME.resolveSibling("local-run-token.log"));
                return lines.get(lines.size() - 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(Namespace.GLOBAL).getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
    }

    /**
     * The ad platforms' APIs the running suite delivers to: the WireMock stubs of export-service's tests, answering as
     * Meta, Google and TikTok do.
     */
    static PlatformStubs platforms() {
        return PLATFORMS;
    }

    /** Stops the suite once every test is done. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            Process down = cdp("down");
            assertThat(down.waitFor(2, TimeUnit.MINUTES)).as("cdp down finishes").isTrue();
            PLATFORMS.stop();
            assertThat(down.exitValue()).isZero();
            assertThat(ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("-Dcdp.home=" + HOME))
                    .map(p -> p.info().commandLine().orElse("")))
                    .as("no process of the local run is left").isEmpty();
        }
    }

    private static Running start() {
        try {
            deleteRecursively(HOME);
            dropDatabase();
            Process up = cdp("up");
            assertThat(up.waitFor(5, TimeUnit.MINUTES)).as("cdp up finishes").isTrue();
            assertThat(up.exitValue()).as("cdp up succeeds; see " + HOME.resolve("up.log")).isZero();
            return new Running();
        } catch (Exception e) {
            throw new IllegalStateException("the suite did not start", e);
        }
    }

    /** Runs {@code deploy/local/cdp} with the suite's settings; its output goes to target/local-run-COMMAND.log. */
    static Process cdp(String... command) throws IOException {
        Files.createDirectories(HOME);
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("deploy/local/cdp").toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(HOME.resolveSibling("local-run-" + command[0] + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("CDP_HOME", HOME.toString());
        env.put("CDP_PORT_OFFSET", String.valueOf(PORT_OFFSET));
        env.put("CDP_DB_URL", databaseUrl());
        env.put("CDP_EXPORT_STALE_AFTER", "PT10S"); // an export whose runner was killed fails within seconds (FaultsIT)
        env.put("CDP_SKIP_BUILD", "1"); // the reactor packaged the services before this module
        env.put("CDP_WATCH_PID", String.valueOf(ProcessHandle.current().pid())); // stop it all if this JVM dies
        env.remove("KAFKA_BOOTSTRAP_SERVERS"); // the local run's own broker, as a newcomer gets it
        env.remove("CDP_WRITE_KEYS");
        env.remove("CDP_ALLOWED_ORIGINS");
        env.remove("CDP_OIDC_ISSUER"); // the local run's own Keycloak
        env.put("CDP_DELIVERY_META_URL", PLATFORMS.meta().baseUrl());
        env.put("CDP_DELIVERY_GOOGLE_URL", PLATFORMS.google().baseUrl());
        env.put("CDP_DELIVERY_TIKTOK_URL", PLATFORMS.tiktok().baseUrl());
        // The services run with a Turkish default locale, where "I".toLowerCase() is a dotless ı: what they store, key
        // and hash must not depend on it.
        env.put("CDP_JAVA_OPTS", "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages -Duser.language=tr -Duser.country=TR");
        return builder.start();
    }

    /** The server CDP_DB_URL names (default 127.0.0.1:5432), database cdp_smoke. */
    private static String databaseUrl() {
        String configured = System.getenv("CDP_DB_URL");
        URI server = URI.create(configured != null && !configured.isBlank() ? configured : "postgresql://127.0.0.1:5432/cdp");
        return "postgresql://" + server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort()) + "/" + DATABASE;
    }

    /** Whether the suite's PostgreSQL server runs on this machine (so a test may restart it). */
    static boolean databaseIsLocal() {
        String host = URI.create(databaseUrl()).getHost();
        return host.equals("127.0.0.1") || host.equals("localhost");
    }

    /** The suite's database, as its administrator (to look into every schema). */
    static Connection database() throws java.sql.SQLException {
        URI url = URI.create(databaseUrl());
        return DriverManager.getConnection("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/" + DATABASE,
                System.getenv().getOrDefault("CDP_DB_ADMIN_USER", "postgres"), System.getenv().getOrDefault("CDP_DB_ADMIN_PASSWORD", ""));
    }

    private static void dropDatabase() throws Exception {
        URI url = URI.create(databaseUrl());
        String admin = System.getenv().getOrDefault("CDP_DB_ADMIN_USER", "postgres");
        String password = System.getenv().getOrDefault("CDP_DB_ADMIN_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/postgres", admin, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}

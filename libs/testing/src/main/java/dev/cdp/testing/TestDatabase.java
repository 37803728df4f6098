package dev.cdp.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The PostgreSQL database for tests: database {@code cdp_test} on the server that {@code CDP_DB_URL} names (default
 * 127.0.0.1:5432), provisioned once per test JVM with the same tool as the local run. Each service's test profile
 * empties its own schema at start (Flyway clean), so no test sees a previous run's rows.
 */
public final class TestDatabase {

    public static final String DATABASE = "cdp_test";
    /** Kept JVM-wide, like {@link TestKafka}'s address: each test profile loads this class again. */
    private static final String PROPERTY = "cdp.test.db.url";

    private TestDatabase() {
    }

    /**
     * A JDBC connection to the test database as the administrator ({@code CDP_DB_ADMIN_USER}, default postgres), for
     * tests that look behind a service's back or take its database away.
     */
    public static Connection admin() throws SQLException {
        String user = System.getenv().getOrDefault("CDP_DB_ADMIN_USER", "postgres");
        String password = System.getenv().getOrDefault("CDP_DB_ADMIN_PASSWORD", "");
        return DriverManager.getConnection("jdbc:" + url(), user, password);
    }

    /** The reactive URL ({@code postgresql://host:port/cdp_test}); prefix it with {@code jdbc:} for JDBC. */
    public static String url() {
        synchronized (System.class) {
            String url = System.getProperty(PROPERTY);
            if (url == null) {
                String configured = System.getenv("CDP_DB_URL");
                URI server = URI.create(configured != null && !configured.isBlank() ? configured : "postgresql://127.0.0.1:5432/cdp");
                url = "postgresql://" + server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort()) + "/" + DATABASE;
                DevTools.run("dev.cdp.devtools.DatabaseSetup", List.of(url), DevTools.buildDirectory().resolve("test-database-setup.log"));
                System.setProperty(PROPERTY, url);
            }
            return url;
        }
    }
}

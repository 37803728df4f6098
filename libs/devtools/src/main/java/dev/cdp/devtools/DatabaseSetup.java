package dev.cdp.devtools;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Creates the suite's database, its per-service roles and schemas, idempotently. Run as an administrator; every
 * service then connects as its own role and migrates only its own schema (Flyway).
 *
 * <pre>
 * java -cp ... dev.cdp.devtools.DatabaseSetup postgresql://127.0.0.1:5432/cdp [--recreate]
 * </pre>
 *
 * The administrator is {@code CDP_DB_ADMIN_USER} (default {@code postgres}) with {@code CDP_DB_ADMIN_PASSWORD}; the
 * service roles get the password {@code CDP_DB_PASSWORD} (default {@code cdp}). {@code --recreate} drops the database
 * first, for test runs that must start from nothing.
 */
public final class DatabaseSetup {

    /** A service's login role and the schema it owns. */
    record ServiceRole(String role, String schema) {
    }

    static final List<ServiceRole> SERVICE_ROLES = List.of(
            new ServiceRole("cdp_ingestion", "ingestion"),
            new ServiceRole("cdp_profile", "profile"),
            new ServiceRole("cdp_segment", "segment"),
            new ServiceRole("cdp_export", "export"));

    /**
     * Reads the profile read-model views. profile-service's migrations grant SELECT on its views to this role;
     * segment-service logs in as a member of it.
     */
    static final String PROFILE_READER = "cdp_profile_reader";

    /** Serializes concurrent setups (two test runs, or a test run and the local run) on role creation. */
    private static final long ADVISORY_LOCK = 0x0CD9_5E70L;

    private DatabaseSetup() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--recreate"))) {
            System.err.println("usage: DatabaseSetup postgresql://host:port/database [--recreate]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        String database = url.getPath().replaceFirst("^/", "");
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case SQL identifier: " + database);
        }
        String server = "jdbc:postgresql://" + url.getHost() + ":" + (url.getPort() < 0 ? 5432 : url.getPort()) + "/";
        String password = env("CDP_DB_PASSWORD", "cdp");

        try (Connection admin = connect(server + "postgres")) {
            lock(admin);
            if (args.length == 2) {
                exec(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                exec(admin, "CREATE DATABASE " + database);
            }
            createRoles(admin, password);
        }
        try (Connection db = connect(server + database)) {
            lock(db);
            for (ServiceRole service : SERVICE_ROLES) {
                exec(db, "CREATE SCHEMA IF NOT EXISTS " + service.schema() + " AUTHORIZATION " + service.role());
                exec(db, "REVOKE ALL ON SCHEMA " + service.schema() + " FROM PUBLIC");
            }
            exec(db, "GRANT USAGE ON SCHEMA profile TO " + PROFILE_READER);
            exec(db, "GRANT CONNECT ON DATABASE " + database + " TO "
                    + String.join(", ", SERVICE_ROLES.stream().map(ServiceRole::role).toList()));
        }
        System.out.println("Database " + database + " on " + url.getHost() + " is ready: schemas "
                + SERVICE_ROLES.stream().map(ServiceRole::schema).toList());
    }

    private static void createRoles(Connection admin, String password) throws SQLException {
        if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", PROFILE_READER)) {
            exec(admin, "CREATE ROLE " + PROFILE_READER + " NOLOGIN");
        }
        for (ServiceRole service : SERVICE_ROLES) {
            String verb = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", service.role()) ? "ALTER" : "CREATE";
            exec(admin, verb + " ROLE " + service.role() + " LOGIN PASSWORD " + literal(password));
        }
        exec(admin, "GRANT " + PROFILE_READER + " TO cdp_segment");
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", env("CDP_DB_ADMIN_USER", "postgres"));
        props.setProperty("password", env("CDP_DB_ADMIN_PASSWORD", ""));
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            statement.setLong(1, ADVISORY_LOCK);
            statement.execute();
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A SQL string literal; DDL cannot take bind parameters. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}

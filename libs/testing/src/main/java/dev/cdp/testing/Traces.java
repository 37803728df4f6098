package dev.cdp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What is still held about someone: every table and file searched for given texts, as erasure tests need. */
public final class Traces {

    private Traces() {
    }

    /**
     * Every table of the schemas whose rows, as text (a bytea as its hex), contain one of the needles, ignoring case;
     * each as {@code schema.table (n rows)}. Tables named in {@code except} (without schema) are left out.
     */
    public static List<String> tablesHolding(Connection db, List<String> schemas, List<String> needles, List<String> except) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("""
                SELECT table_schema, table_name FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema = ANY (?) ORDER BY 1, 2""")) {
            query.setArray(1, db.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (!except.contains(rows.getString(2))) {
                        tables.add(rows.getString(1) + "." + rows.getString(2));
                    }
                }
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("no table in the schemas " + schemas);
        }
        List<String> holding = new ArrayList<>();
        // PostgreSQL's ILIKE ignores case; the needles' LIKE wildcards are escaped so they match only themselves.
        Object[] patterns = needles.stream().map(needle -> "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .toArray();
        for (String table : tables) {
            try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM " + table + " t WHERE t::text ILIKE ANY (?)")) {
                query.setArray(1, db.createArrayOf("text", patterns));
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        holding.add(table + " (" + rows.getLong(1) + " rows)");
                    }
                }
            }
        }
        return holding;
    }

    /** Every file under the directory that contains one of the needles, ignoring case; each as {@code name: needle}. */
    public static List<String> filesHolding(Path directory, List<String> needles) throws IOException {
        List<String> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                needles.stream().filter(needle -> Pattern.compile(Pattern.quote(needle), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                        .matcher(text).find()).forEach(needle -> holding.add(file.getFileName() + ": " + needle));
            }
        }
        return holding;
    }
}

package dev.cdp.kafka;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/** Which failures of a consumer's work are worth waiting out, and which mean the data itself cannot be processed. */
public final class Failures {

    private static final List<String> UNAVAILABLE_CLASSES = List.of("08", "53", "57", "28", "40", "55", "58");

    private Failures() {
    }

    /**
     * Whether another writer got there first (or PostgreSQL broke a deadlock), so the work must be planned again on
     * fresh data: why ({@code deadlock}, {@code serialization} or the {@link Contention}'s reason), else null.
     */
    public static String contention(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Contention contention) {
                return contention.reason();
            }
            if (cause instanceof PgException pg) {
                return "40P01".equals(pg.getSqlState()) ? "deadlock" : "40001".equals(pg.getSqlState()) ? "serialization" : null;
            }
        }
        return null;
    }

    /**
     * Whether a failure means a dependency is unavailable (retry until it is back) rather than a problem with the data
     * (retrying cannot help): connection and I/O errors, time-outs, Kafka's retriable errors, and PostgreSQL's
     * connection, resource, shutdown, authorization, serialization and lock errors (SQLSTATE 08, 53, 57, 28, 40, 55, 58).
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return UNAVAILABLE_CLASSES.contains(state.length() < 2 ? state : state.substring(0, 2));
            }
            if (cause instanceof IOException || cause instanceof VertxException || cause instanceof RetriableException
                    || cause instanceof TimeoutException || cause instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}

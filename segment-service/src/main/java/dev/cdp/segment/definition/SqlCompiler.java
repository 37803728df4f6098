package dev.cdp.segment.definition;

import dev.cdp.events.IsoTimes;
import dev.cdp.events.TextKeys;
import dev.cdp.segment.definition.Condition.EventCondition;
import dev.cdp.segment.definition.Condition.EventFilter;
import dev.cdp.segment.definition.Condition.Group;
import dev.cdp.segment.definition.Condition.Metric;
import dev.cdp.segment.definition.Condition.ProfileCondition;
import dev.cdp.segment.definition.Condition.TransactionCondition;
import dev.cdp.segment.definition.Condition.Window;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Compiles a condition into one parameterised query over the profile read model that selects the members'
 * {@code customer_id}. Columns and operators come from the whitelists of {@link ProfileField} and {@link Operator};
 * every value is a bound parameter, so nothing a user writes becomes SQL text.
 *
 * <p>Profile conditions read the traits profile-service keeps for segments, a narrow copy of each live customer's
 * row: a full evaluation reads every candidate's row, and fewer pages make it faster than any query on the
 * customers themselves (decision 35). All-time counts and totals come from the gold facts (one row per customer).
 * Windows end at the evaluation time, a bound parameter, so one evaluation sees one "now", and never go stale.
 * Windows are subqueries on silver correlated by customer, "at least once" and "never" as {@code EXISTS} and
 * {@code NOT EXISTS}: PostgreSQL plans them for the statement at hand, in a full evaluation ({@link #members}) as a
 * join with one range of silver's index by name and time hashed once, where many candidates are left, in a
 * re-evaluation of a few customers ({@link #membersAmong}) as a probe of each one's rows (docs/segments.md).
 */
public final class SqlCompiler {

    /** The query and its parameters, in order ($1, $2, ...). */
    public record Compiled(String sql, List<Object> parameters) {
    }

    private final Instant now;
    private final List<Object> parameters = new ArrayList<>();

    private SqlCompiler(Instant now) {
        this.now = now;
    }

    /** The members of the segment at {@code now}. */
    public static Compiled members(Condition condition, Instant now) {
        SqlCompiler compiler = new SqlCompiler(now);
        String predicate = compiler.predicate(condition);
        return new Compiled("SELECT c.customer_id FROM profile.read_customer_traits_v1 c WHERE " + predicate, List.copyOf(compiler.parameters));
    }

    /**
     * Which of the given customers are members of which segment at {@code now}, in one statement: rows of
     * ({@code segment_id}, {@code customer_id}). Each segment's predicate is the one {@link #members} compiles, evaluated
     * once per customer. The customers are the first parameter, as a text array.
     */
    public static Compiled membersAmong(Map<UUID, Condition> segments, Instant now, List<UUID> customers) {
        SqlCompiler compiler = new SqlCompiler(now);
        String among = compiler.bind(customers.toArray(), "uuid[]");
        StringJoiner predicates = new StringJoiner(",\n    ");
        segments.forEach((segment, condition) -> predicates.add("(" + compiler.bind(segment, "uuid") + ", " + compiler.predicate(condition) + ")"));
        // The changed customers drive the statement: each one's row is looked up by key, then its predicates run. A
        // filter ("customer_id = ANY(...)") was planned, on the statistics of a young database, as a walk over every
        // live customer with each EXISTS hashed over all matching interactions: up to 1.3 s a statement.
        return new Compiled("SELECT s.segment_id, c.customer_id FROM unnest(" + among + ") AS q (customer_id)\n"
                + "CROSS JOIN LATERAL (SELECT * FROM profile.read_customer_traits_v1 v WHERE v.customer_id = q.customer_id) AS c\n"
                + "CROSS JOIN LATERAL (VALUES\n    " + predicates + ") AS s (segment_id, member)\nWHERE s.member",
                List.copyOf(compiler.parameters));
    }

    private String predicate(Condition condition) {
        if (condition instanceof Group group) {
            return group(group);
        }
        if (condition instanceof ProfileCondition profile) {
            return profile(profile);
        }
        if (condition instanceof TransactionCondition transaction) {
            return transaction(transaction);
        }
        return event((EventCondition) condition);
    }

    private String group(Group group) {
        StringJoiner joined = new StringJoiner(group.logic() == Condition.Logic.OR ? " OR " : " AND ", "(", ")");
        group.conditions().forEach(condition -> joined.add(predicate(condition)));
        // A condition on a missing value is unknown (NULL) in SQL; a customer who does not match it is outside, and NOT
        // must take them in, so unknown counts as false before it is negated.
        return group.logic() == Condition.Logic.NOT ? "NOT coalesce(" + joined + ", false)" : joined.toString();
    }

    private String profile(ProfileCondition condition) {
        ProfileField field = condition.field();
        String column = "c." + field.column();
        List<Object> values = condition.values();
        Operator operator = condition.operator();
        if (operator == Operator.EXISTS && field.kind() == ProfileField.Kind.PRESENCE) {
            return ((Boolean) values.get(0) ? "" : "NOT ") + column;
        }
        if (operator == Operator.EXISTS) {
            return column + ((Boolean) values.get(0) ? " IS NOT NULL" : " IS NULL");
        }
        if (field == ProfileField.AGE && operator != Operator.NEQ && operator != Operator.IN && operator != Operator.NOT_IN) {
            return ageRange(operator, values);
        }
        String type = switch (field.kind()) {
            case FOLDED, TEXT, LOWER, GENDER, COUNTRY, PRESENCE -> "text";
            case NUMBER -> "numeric";
            case DATE -> "date";
            case TIME -> "timestamptz";
            case BOOLEAN -> "boolean";
        };
        // Text compares in the form the column is stored in (cities folded, tiers lower case, genders as profile-service
        // stores them), or, for text stored as given, lower-cased by PostgreSQL on both sides: one rule per comparison,
        // so users need not know how a value was written.
        boolean inSql = field.kind() == ProfileField.Kind.TEXT;
        String subject = inSql ? "lower(" + column + ")" : column;
        List<Object> bound = values.stream().map(value -> comparable(field, value)).toList();
        return switch (operator) {
            case EQ -> subject + " = " + value(bound.get(0), type, inSql);
            // Customers without the value are "not X" too.
            case NEQ -> subject + " IS DISTINCT FROM " + value(bound.get(0), type, inSql);
            case IN -> in(subject, bound, type, inSql);
            case NOT_IN -> "(" + column + " IS NULL OR NOT " + in(subject, bound, type, inSql) + ")";
            case GT, GTE, LT, LTE -> subject + " " + operator.sql() + " " + value(bound.get(0), type, inSql);
            case BETWEEN -> subject + " BETWEEN " + value(bound.get(0), type, inSql) + " AND " + value(bound.get(1), type, inSql);
            case CONTAINS -> subject + " LIKE '%' || " + value(likeEscape((String) bound.get(0)), "text", inSql) + " || '%'";
            case STARTS_WITH -> subject + " LIKE " + value(likeEscape((String) bound.get(0)), "text", inSql) + " || '%'";
            default -> throw new IllegalArgumentException("operator " + operator + " on a profile field");
        };
    }

    /** One bound value, lower-cased by PostgreSQL when the column is. */
    private String value(Object value, String type, boolean lower) {
        return lower ? "lower(" + bind(value, "text") + ")" : bind(value, type);
    }

    /** The subject among the values, lower-cased by PostgreSQL when the column is. */
    private String in(String subject, List<Object> values, String type, boolean lower) {
        return lower ? subject + " IN (SELECT lower(v) FROM unnest(" + bind(values.toArray(), "text[]") + ") v)"
                : subject + " = ANY(" + bind(values.toArray(), type + "[]") + ")";
    }

    /**
     * An age range as a birth-date range: the same customers (age in whole years on the evaluation's UTC date, as the
     * read model computes it), compared on the stored column instead of computing every customer's age, which costs
     * more than the rest of a city-and-age scan (docs/performance.md).
     */
    private String ageRange(Operator operator, List<Object> values) {
        BigDecimal first = (BigDecimal) values.get(0);
        // The whole ages included, from low to high (null: unbounded); ages are whole years, so 25.5 <= age is 26 <= age.
        BigDecimal low = switch (operator) {
            case EQ, GTE, BETWEEN -> first.setScale(0, RoundingMode.CEILING);
            case GT -> first.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE);
            default -> null;
        };
        BigDecimal high = switch (operator) {
            case EQ, LTE -> first.setScale(0, RoundingMode.FLOOR);
            case LT -> first.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE);
            case BETWEEN -> ((BigDecimal) values.get(1)).setScale(0, RoundingMode.FLOOR);
            default -> null;
        };
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        StringJoiner range = new StringJoiner(" AND ", "(", ")");
        // Aged at least n years: born on or before today n years ago; at most n: born after today n + 1 years ago.
        if (low != null) {
            range.add("c.birth_date <= " + bind(today.minusYears(years(low)), "date"));
        }
        if (high != null) {
            range.add("c.birth_date > " + bind(today.minusYears(years(high) + 1), "date"));
        }
        return range.toString();
    }

    /** Whole years, bounded so that date arithmetic cannot overflow; no one is a thousand years old. */
    private static long years(BigDecimal age) {
        return Math.max(-1000, Math.min(1000, age.longValue()));
    }

    /** The value in the form the column holds it, by the rule profile-service stores it with. */
    private static Object comparable(ProfileField field, Object value) {
        return switch (field.kind()) {
            case FOLDED -> TextKeys.fold((String) value);
            case GENDER -> TextKeys.gender((String) value);
            case LOWER -> TextKeys.lower((String) value);
            default -> value;
        };
    }

    private String transaction(TransactionCondition condition) {
        Window window = condition.window();
        boolean oneTypeAtMost = condition.transactionTypes().size() <= 1;
        String subject;
        if (window.allTime() && condition.storeIds().isEmpty() && oneTypeAtMost
                && (condition.metric() == Metric.COUNT || condition.metric() == Metric.SUM)) {
            String prefix = condition.transactionTypes().isEmpty() ? "transaction" : condition.transactionTypes().get(0).toLowerCase(Locale.ROOT);
            subject = "c." + prefix + (condition.metric() == Metric.COUNT ? "_count" : "_total");
        } else {
            String aggregate = switch (condition.metric()) {
                case COUNT -> "count(*)";
                case SUM -> "coalesce(sum(t.amount), 0)";
                case AVG -> "avg(t.amount)";
                case MAX -> "max(t.amount)";
            };
            StringBuilder from = new StringBuilder("FROM profile.read_transactions_v1 t WHERE t.customer_id = c.customer_id");
            if (!condition.transactionTypes().isEmpty()) {
                from.append(" AND ").append(oneOf("t.type", condition.transactionTypes()));
            }
            if (!condition.storeIds().isEmpty()) {
                from.append(" AND ").append(oneOf("t.store_id", condition.storeIds()));
            }
            from.append(window("t.occurred_at", window));
            String exists = condition.metric() == Metric.COUNT ? existence(from.toString(), condition.operator(), condition.values()) : null;
            if (exists != null) {
                return exists;
            }
            subject = "(SELECT " + aggregate + " " + from + ")";
        }
        return compare(subject, condition.operator(), condition.values());
    }

    private String event(EventCondition condition) {
        Window window = condition.window();
        String subject;
        if (condition.event() != null && window.allTime() && condition.where().isEmpty() && condition.operator() != Operator.NEVER) {
            subject = "coalesce((SELECT e.count FROM profile.read_event_counts_v1 e WHERE e.customer_id = c.customer_id AND e.event_name = "
                    + bind(condition.event(), "text") + "), 0)";
        } else {
            StringBuilder from = new StringBuilder("FROM profile.read_interactions_v1 i WHERE i.customer_id = c.customer_id");
            if (condition.event() != null) {
                from.append(" AND i.event_name = ").append(bind(condition.event(), "text"));
            }
            condition.where().forEach(filter -> from.append(" AND ").append(filter(filter)));
            from.append(window("i.occurred_at", window));
            String exists = existence(from.toString(), condition.operator(), condition.values());
            if (exists != null) {
                return exists;
            }
            subject = "(SELECT count(*) " + from + ")";
        }
        return compare(subject, condition.operator(), condition.values());
    }

    /**
     * The column is one of the values, as {@code = ANY} of an array even for one value: with {@code =}, PostgreSQL on
     * tables without statistics probed a customer's count through the {@code (type, occurred_at)} index
     * (docs/performance.md).
     */
    private String oneOf(String column, List<String> values) {
        return column + " = ANY(" + bind(values.toArray(String[]::new), "text[]") + ")";
    }

    /**
     * One filter on an interaction. Text compares case-insensitively, PostgreSQL lower-casing both sides (so
     * {@code lower(i.name)} and the campaign values are answered from their indexes); numbers compare as numbers and
     * only match JSON numbers; a missing value is unknown, except that {@code neq} and {@code not_in} take it in.
     */
    private String filter(EventFilter filter) {
        String path = pathLiteral(filter.path());
        String column = switch (filter.value()) {
            case NAME -> "i.name";
            case CATEGORY -> "i.category";
            case PROPERTIES -> "i.properties";
            case CONTEXT -> "i.context";
        };
        String text = filter.path().isEmpty() ? column : "(" + column + " #>> " + path + ")";
        String json = "(" + column + " #> " + path + ")";
        String number = "(CASE WHEN jsonb_typeof(" + json + ") = 'number' THEN (" + text + ")::numeric END)";
        List<Object> values = filter.values();
        Object first = values.get(0);
        return switch (filter.operator()) {
            case EXISTS -> text + ((Boolean) first ? " IS NOT NULL" : " IS NULL");
            case EQ, NEQ -> {
                String equals = filter.operator() == Operator.EQ ? " = " : " IS DISTINCT FROM ";
                if (first instanceof String value) {
                    yield "lower(" + text + ")" + equals + "lower(" + bind(value, "text") + ")";
                }
                yield first instanceof Boolean value ? json + equals + bind(value.toString(), "jsonb") : number + equals + bind(first, "numeric");
            }
            case IN, NOT_IN -> {
                String in = first instanceof String
                        ? "lower(" + text + ") IN (SELECT lower(v) FROM unnest(" + bind(values.toArray(), "text[]") + ") v)"
                        : number + " = ANY(" + bind(values.toArray(), "numeric[]") + ")";
                yield filter.operator() == Operator.IN ? in : "(" + text + " IS NULL OR NOT " + in + ")";
            }
            case CONTAINS -> "lower(" + text + ") LIKE '%' || lower(" + bind(likeEscape((String) first), "text") + ") || '%'";
            case STARTS_WITH -> "lower(" + text + ") LIKE lower(" + bind(likeEscape((String) first), "text") + ") || '%'";
            case GT, GTE, LT, LTE -> number + " " + filter.operator().sql() + " " + bind(first, "numeric");
            case BETWEEN -> number + " BETWEEN " + bind(first, "numeric") + " AND " + bind(values.get(1), "numeric");
            default -> throw new IllegalArgumentException("operator " + filter.operator() + " on an event value");
        };
    }

    /**
     * A path into a JSON column as a text-array literal, {@code '{"campaign","source"}'}. Paths are names, like
     * columns, and are written into the query so that it matches the indexes on them; the parser lets through only
     * names without quotes, backslashes or control characters.
     */
    private static String pathLiteral(List<String> path) {
        StringJoiner literal = new StringJoiner(",", "'{", "}'");
        path.forEach(name -> literal.add("\"" + name + "\""));
        return literal.toString();
    }

    /** The window's bounds on a time column: from its start (included) to its end or now (excluded). */
    private String window(String column, Window window) {
        if (window.allTime()) {
            return "";
        }
        StringBuilder bounds = new StringBuilder();
        Instant start = window.start(now);
        if (start != null) {
            bounds.append(" AND ").append(column).append(" >= ").append(bind(start, "timestamptz"));
        }
        Instant end = window.to() != null ? window.to() : window.from() == null ? now : null;
        if (end != null) {
            bounds.append(" AND ").append(column).append(" < ").append(bind(end, "timestamptz"));
        }
        return bounds.toString();
    }

    /**
     * "At least one" and "none" of a silver count become EXISTS and NOT EXISTS, which stop at the first row instead
     * of counting all of them; {@code null} for any other comparison.
     */
    private static String existence(String from, Operator operator, List<BigDecimal> values) {
        Boolean any = anyOrNone(operator, values);
        return any == null ? null : (any ? "" : "NOT ") + "EXISTS (SELECT 1 " + from + ")";
    }

    /** Whether a comparison of a count asks for at least one (true), for none (false), or for something else (null). */
    private static Boolean anyOrNone(Operator operator, List<BigDecimal> values) {
        if (operator == Operator.NEVER) {
            return false;
        }
        if (operator == Operator.BETWEEN) {
            return null;
        }
        int value = values.get(0).compareTo(BigDecimal.ONE);
        boolean any = operator == Operator.GTE && value == 0 || operator == Operator.GT && values.get(0).signum() == 0
                || operator == Operator.NEQ && values.get(0).signum() == 0;
        boolean none = operator == Operator.EQ && values.get(0).signum() == 0 || operator == Operator.LT && value == 0
                || operator == Operator.LTE && values.get(0).signum() == 0;
        return any ? Boolean.TRUE : none ? Boolean.FALSE : null;
    }

    private String compare(String subject, Operator operator, List<BigDecimal> values) {
        return switch (operator) {
            case BETWEEN -> subject + " BETWEEN " + bind(values.get(0), "numeric") + " AND " + bind(values.get(1), "numeric");
            case EQ, NEQ, GT, GTE, LT, LTE -> subject + " " + operator.sql() + " " + bind(values.get(0), "numeric");
            default -> throw new IllegalArgumentException("operator " + operator + " on an aggregate");
        };
    }

    /**
     * Adds a parameter and answers its placeholder. Values are bound as text and cast in SQL, so the query reads the
     * same in {@code GET /segments/{id}/query} as it runs and the driver never guesses a type; times and dates are
     * bound as what they are: a cast from text to them is only stable (it depends on the time zone), so PostgreSQL
     * would parse the text again in every probe of a window (docs/performance.md).
     */
    private String bind(Object value, String type) {
        String placeholder = "$" + (parameters.size() + 1);
        if (value instanceof Instant instant) {
            parameters.add(instant.atOffset(ZoneOffset.UTC));
            return placeholder + "::timestamptz";
        }
        if (value instanceof LocalDate date) {
            parameters.add(date);
            return placeholder + "::date";
        }
        boolean array = value instanceof Object[];
        parameters.add(array ? Arrays.stream((Object[]) value).map(SqlCompiler::text).toArray(String[]::new) : text(value));
        placeholder += array ? "::text[]" : "::text";
        return type.equals("text") || type.equals("text[]") ? placeholder : placeholder + "::" + type;
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return value instanceof Instant instant ? IsoTimes.format(instant) : value.toString();
    }

    private static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

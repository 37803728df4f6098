package dev.cdp.segment.definition;

import java.util.Arrays;
import java.util.Optional;

/** The comparison operators of the definition language, by the name a definition uses. */
public enum Operator {
    EQ("eq", "="), NEQ("neq", "<>"), IN("in", null), NOT_IN("not_in", null), GT("gt", ">"), GTE("gte", ">="), LT("lt", "<"),
    LTE("lte", "<="), BETWEEN("between", null), CONTAINS("contains", null), STARTS_WITH("starts_with", null),
    EXISTS("exists", null), NEVER("never", null);

    private final String json;
    private final String sql;

    Operator(String json, String sql) {
        this.json = json;
        this.sql = sql;
    }

    public String json() {
        return json;
    }

    /** The SQL comparison of a single-value operator, or null. */
    String sql() {
        return sql;
    }

    static Optional<Operator> of(String json) {
        return Arrays.stream(values()).filter(operator -> operator.json.equals(json)).findFirst();
    }
}

package dev.cdp.segment.definition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;

/** A parsed, valid segment definition: groups of conditions nested to any depth. */
public sealed interface Condition {

    enum Logic {
        AND, OR, NOT
    }

    /** {@code NOT} holds when not all of its conditions hold, that is NOT (a AND b ...). */
    record Group(Logic logic, List<Condition> conditions) implements Condition {
    }

    /** A customer attribute compared with values (none for {@code exists}, two for {@code between}). */
    record ProfileCondition(ProfileField field, Operator operator, List<Object> values) implements Condition {
    }

    enum Metric {
        COUNT, SUM, AVG, MAX
    }

    /** An aggregate of the customer's transactions, optionally filtered and windowed, compared with values. */
    record TransactionCondition(Metric metric, Operator operator, List<BigDecimal> values, List<String> transactionTypes,
            List<String> storeIds, Window window) implements Condition {
    }

    /**
     * The number of the customer's interactions of one name ({@code event}; null: of any name) that pass every filter,
     * in a window, compared with values.
     */
    record EventCondition(String event, Operator operator, List<BigDecimal> values, List<EventFilter> where, Window window)
            implements Condition {
    }

    /** Where an event filter looks: the page or screen name or category, or a value in the properties or the context. */
    enum EventValue {
        NAME, CATEGORY, PROPERTIES, CONTEXT
    }

    /**
     * A test on one value of an interaction: {@code path} leads to it inside the properties or context (empty for the
     * name and category); {@code values} are strings, numbers (BigDecimal) or booleans, none for {@code exists}.
     */
    record EventFilter(EventValue value, List<String> path, Operator operator, List<Object> values) {
    }

    /** All time (both null), the last {@code period}, or an absolute range [from, to). */
    record Window(Period period, Duration duration, Instant from, Instant to) {

        static final Window ALL_TIME = new Window(null, null, null, null);

        boolean allTime() {
            return period == null && duration == null && from == null && to == null;
        }

        /** The window's start for an evaluation at {@code now}, or null. */
        Instant start(Instant now) {
            if (period != null) {
                return now.atZone(ZoneOffset.UTC).minus(period).toInstant();
            }
            return duration != null ? now.minus(duration) : from;
        }
    }
}

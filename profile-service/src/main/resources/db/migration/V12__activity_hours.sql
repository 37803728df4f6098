-- Hourly rollups of activity for segment windows (docs/segments.md, decision 34): per transaction type or event name,
-- per UTC hour and per customer, how many and (transactions) how much. A windowed condition over a million customers
-- reads the hours inside its window as one range of this table instead of probing every candidate's history in
-- silver, and only the two partial hours at its edges come from silver. Keyed by name and hour first, so a window is
-- one contiguous range of the key. No index by customer, on purpose: PostgreSQL would trade reading a window as a
-- range for a lookup per candidate customer, the slow way this replaces (docs/performance.md).
CREATE TABLE profile.transaction_hours (
    type        text          NOT NULL,
    hour        timestamptz   NOT NULL,
    customer_id uuid          NOT NULL,
    count       integer       NOT NULL,
    total       numeric(18,4) NOT NULL,
    max_amount  numeric(18,4) NOT NULL,
    PRIMARY KEY (type, hour, customer_id)
);

CREATE TABLE profile.interaction_hours (
    event_name  text        NOT NULL,
    hour        timestamptz NOT NULL,
    customer_id uuid        NOT NULL,
    count       integer     NOT NULL,
    PRIMARY KEY (event_name, hour, customer_id)
);

-- Maintained by triggers on silver, one statement at a time, so no writer (the batch writer, a merge, an erasure, a
-- test's fixture) can leave the rollup and silver telling different stories. Inserts add to the hours; an update
-- (a merge moves rows to the customer that absorbed them) or a delete counts the hours it touched again from silver,
-- since a maximum cannot be subtracted. Hours are UTC hours counted from the epoch, whatever the session's time zone.
CREATE FUNCTION profile.transaction_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO profile.transaction_hours AS h (type, hour, customer_id, count, total, max_amount)
    SELECT type, date_bin('1 hour', occurred_at, timestamptz '1970-01-01 00:00:00+00'), customer_id, count(*), sum(amount), max(amount)
    FROM added GROUP BY 1, 2, 3 ORDER BY 2
    ON CONFLICT (type, hour, customer_id) DO UPDATE SET count = h.count + excluded.count, total = h.total + excluded.total,
        max_amount = greatest(h.max_amount, excluded.max_amount);
    RETURN NULL;
END $$;

-- The hours of the given silver rows, counted again from silver.
CREATE FUNCTION profile.transaction_hours_recount(keys profile.transactions[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM profile.transaction_hours h USING (SELECT DISTINCT k.type, date_bin('1 hour', k.occurred_at, timestamptz '1970-01-01 00:00:00+00') AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE h.type = k.type AND h.hour = k.hour AND h.customer_id = k.customer_id;
    INSERT INTO profile.transaction_hours (type, hour, customer_id, count, total, max_amount)
    SELECT k.type, k.hour, k.customer_id, count(*), sum(t.amount), max(t.amount)
    FROM (SELECT DISTINCT k.type, date_bin('1 hour', k.occurred_at, timestamptz '1970-01-01 00:00:00+00') AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    JOIN profile.transactions t ON t.customer_id = k.customer_id AND t.type = k.type AND t.occurred_at >= k.hour AND t.occurred_at < k.hour + interval '1 hour'
    GROUP BY 1, 2, 3;
$$;

CREATE FUNCTION profile.transaction_hours_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.transaction_hours_recount(ARRAY(SELECT b::profile.transactions FROM before b UNION ALL SELECT a::profile.transactions FROM after a));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.transaction_hours_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.transaction_hours_recount(ARRAY(SELECT b::profile.transactions FROM before b));
    RETURN NULL;
END $$;

CREATE TRIGGER transaction_hours_add AFTER INSERT ON profile.transactions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION profile.transaction_hours_add();
CREATE TRIGGER transaction_hours_moved AFTER UPDATE ON profile.transactions
    REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION profile.transaction_hours_moved();
CREATE TRIGGER transaction_hours_removed AFTER DELETE ON profile.transactions
    REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION profile.transaction_hours_removed();

CREATE FUNCTION profile.interaction_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO profile.interaction_hours AS h (event_name, hour, customer_id, count)
    SELECT event_name, date_bin('1 hour', occurred_at, timestamptz '1970-01-01 00:00:00+00'), customer_id, count(*)
    FROM added GROUP BY 1, 2, 3 ORDER BY 2
    ON CONFLICT (event_name, hour, customer_id) DO UPDATE SET count = h.count + excluded.count;
    RETURN NULL;
END $$;

-- The hours of the given silver rows, counted again from silver.
CREATE FUNCTION profile.interaction_hours_recount(keys profile.interactions[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM profile.interaction_hours h USING (SELECT DISTINCT k.event_name, date_bin('1 hour', k.occurred_at, timestamptz '1970-01-01 00:00:00+00') AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE h.event_name = k.event_name AND h.hour = k.hour AND h.customer_id = k.customer_id;
    INSERT INTO profile.interaction_hours (event_name, hour, customer_id, count)
    SELECT k.event_name, k.hour, k.customer_id, count(*)
    FROM (SELECT DISTINCT k.event_name, date_bin('1 hour', k.occurred_at, timestamptz '1970-01-01 00:00:00+00') AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    JOIN profile.interactions t ON t.customer_id = k.customer_id AND t.event_name = k.event_name AND t.occurred_at >= k.hour AND t.occurred_at < k.hour + interval '1 hour'
    GROUP BY 1, 2, 3;
$$;

CREATE FUNCTION profile.interaction_hours_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.interaction_hours_recount(ARRAY(SELECT b::profile.interactions FROM before b UNION ALL SELECT a::profile.interactions FROM after a));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.interaction_hours_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.interaction_hours_recount(ARRAY(SELECT b::profile.interactions FROM before b));
    RETURN NULL;
END $$;

CREATE TRIGGER interaction_hours_add AFTER INSERT ON profile.interactions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_add();
CREATE TRIGGER interaction_hours_moved AFTER UPDATE ON profile.interactions
    REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_moved();
CREATE TRIGGER interaction_hours_removed AFTER DELETE ON profile.interactions
    REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_removed();

-- What silver holds already.
INSERT INTO profile.transaction_hours (type, hour, customer_id, count, total, max_amount)
SELECT type, date_bin('1 hour', occurred_at, timestamptz '1970-01-01 00:00:00+00'), customer_id, count(*), sum(amount), max(amount)
FROM profile.transactions GROUP BY 1, 2, 3 ORDER BY 2;
INSERT INTO profile.interaction_hours (event_name, hour, customer_id, count)
SELECT event_name, date_bin('1 hour', occurred_at, timestamptz '1970-01-01 00:00:00+00'), customer_id, count(*)
FROM profile.interactions GROUP BY 1, 2, 3 ORDER BY 2;

-- Segment-service reads them through the read model, like the rest of the profile.
CREATE VIEW profile.read_transaction_hours_v1 AS
SELECT h.type, h.hour, h.customer_id, h.count, h.total, h.max_amount FROM profile.transaction_hours h;
CREATE VIEW profile.read_interaction_hours_v1 AS
SELECT h.event_name, h.hour, h.customer_id, h.count FROM profile.interaction_hours h;
COMMENT ON VIEW profile.read_transaction_hours_v1 IS 'Read model v1: transactions per type, UTC hour and customer';
COMMENT ON VIEW profile.read_interaction_hours_v1 IS 'Read model v1: interactions per event name, UTC hour and customer';
GRANT SELECT ON profile.read_transaction_hours_v1, profile.read_interaction_hours_v1 TO cdp_profile_reader;

-- A stream of inserts is vacuumed often, as silver is (V5), so windows are read from the index alone.
ALTER TABLE profile.transaction_hours SET (autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE profile.interaction_hours SET (autovacuum_vacuum_insert_scale_factor = 0.01);

-- Which customers were active in which UTC hour, per transaction type and per event name: what a full segment
-- evaluation reads for "at least once" and "never" over a window (docs/segments.md, decision 34). Such a condition
-- over a million customers reads the hours inside its window as one range of the key, hashed once, instead of
-- probing every candidate's history in silver; only the two partial hours at the window's edges come from silver.
-- No index by customer, on purpose: PostgreSQL would trade reading a window as a range for a lookup per candidate
-- customer, the slow way this replaces (docs/performance.md). Counts and sums compared with a value are not kept:
-- aggregating a whole window measured slower than probing the candidates that pass the other conditions.
CREATE TABLE profile.transaction_hours (
    type        text        NOT NULL,
    hour        timestamptz NOT NULL,
    customer_id uuid        NOT NULL,
    PRIMARY KEY (type, hour, customer_id)
);

CREATE TABLE profile.interaction_hours (
    event_name  text        NOT NULL,
    hour        timestamptz NOT NULL,
    customer_id uuid        NOT NULL,
    PRIMARY KEY (event_name, hour, customer_id)
);

-- The UTC hour a time falls in, counted from the epoch whatever the session's time zone.
CREATE FUNCTION profile.utc_hour(moment timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_bin('1 hour', moment, timestamptz '1970-01-01 00:00:00+00');

-- Kept by triggers on silver, one statement at a time, so no writer (the batch writer, a merge, an erasure, a test's
-- fixture) can leave the hours and silver telling different stories. Inserts add their hours; an update (a merge
-- moves rows to the customer that absorbed them) or a delete looks again, in silver, at each hour it touched. Hours
-- are added in hour order, as a live stream writes them, so a window's rows sit together.
CREATE FUNCTION profile.transaction_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO profile.transaction_hours (type, hour, customer_id)
    SELECT DISTINCT type, profile.utc_hour(occurred_at), customer_id FROM added ORDER BY 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION profile.transaction_hours_recheck(keys profile.transactions[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM profile.transaction_hours h
    USING (SELECT DISTINCT k.type, profile.utc_hour(k.occurred_at) AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE h.type = k.type AND h.hour = k.hour AND h.customer_id = k.customer_id;
    INSERT INTO profile.transaction_hours (type, hour, customer_id)
    SELECT k.type, k.hour, k.customer_id
    FROM (SELECT DISTINCT k.type, profile.utc_hour(k.occurred_at) AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE EXISTS (SELECT 1 FROM profile.transactions t WHERE t.customer_id = k.customer_id AND t.type = k.type
                  AND t.occurred_at >= k.hour AND t.occurred_at < k.hour + interval '1 hour');
$$;

CREATE FUNCTION profile.transaction_hours_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.transaction_hours_recheck(ARRAY(SELECT b::profile.transactions FROM before b UNION ALL SELECT a::profile.transactions FROM after a));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.transaction_hours_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.transaction_hours_recheck(ARRAY(SELECT b::profile.transactions FROM before b));
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
    INSERT INTO profile.interaction_hours (event_name, hour, customer_id)
    SELECT DISTINCT event_name, profile.utc_hour(occurred_at), customer_id FROM added ORDER BY 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION profile.interaction_hours_recheck(keys profile.interactions[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM profile.interaction_hours h
    USING (SELECT DISTINCT k.event_name, profile.utc_hour(k.occurred_at) AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE h.event_name = k.event_name AND h.hour = k.hour AND h.customer_id = k.customer_id;
    INSERT INTO profile.interaction_hours (event_name, hour, customer_id)
    SELECT k.event_name, k.hour, k.customer_id
    FROM (SELECT DISTINCT k.event_name, profile.utc_hour(k.occurred_at) AS hour, k.customer_id FROM unnest(keys) AS k) AS k
    WHERE EXISTS (SELECT 1 FROM profile.interactions i WHERE i.customer_id = k.customer_id AND i.event_name = k.event_name
                  AND i.occurred_at >= k.hour AND i.occurred_at < k.hour + interval '1 hour');
$$;

CREATE FUNCTION profile.interaction_hours_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.interaction_hours_recheck(ARRAY(SELECT b::profile.interactions FROM before b UNION ALL SELECT a::profile.interactions FROM after a));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.interaction_hours_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.interaction_hours_recheck(ARRAY(SELECT b::profile.interactions FROM before b));
    RETURN NULL;
END $$;

CREATE TRIGGER interaction_hours_add AFTER INSERT ON profile.interactions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_add();
CREATE TRIGGER interaction_hours_moved AFTER UPDATE ON profile.interactions
    REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_moved();
CREATE TRIGGER interaction_hours_removed AFTER DELETE ON profile.interactions
    REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION profile.interaction_hours_removed();

-- What silver holds already.
INSERT INTO profile.transaction_hours (type, hour, customer_id)
SELECT DISTINCT type, profile.utc_hour(occurred_at), customer_id FROM profile.transactions ORDER BY 2;
INSERT INTO profile.interaction_hours (event_name, hour, customer_id)
SELECT DISTINCT event_name, profile.utc_hour(occurred_at), customer_id FROM profile.interactions ORDER BY 2;

-- Segment-service reads them through the read model, like the rest of the profile.
CREATE VIEW profile.read_transaction_hours_v1 AS SELECT h.type, h.hour, h.customer_id FROM profile.transaction_hours h;
CREATE VIEW profile.read_interaction_hours_v1 AS SELECT h.event_name, h.hour, h.customer_id FROM profile.interaction_hours h;
COMMENT ON VIEW profile.read_transaction_hours_v1 IS 'Read model v1: who made a transaction of a type in a UTC hour';
COMMENT ON VIEW profile.read_interaction_hours_v1 IS 'Read model v1: who did an event in a UTC hour';
GRANT SELECT ON profile.read_transaction_hours_v1, profile.read_interaction_hours_v1 TO cdp_profile_reader;

-- A stream of inserts is vacuumed often, as silver is (V5), so windows are read from the index alone.
ALTER TABLE profile.transaction_hours SET (autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE profile.interaction_hours SET (autovacuum_vacuum_insert_scale_factor = 0.01);

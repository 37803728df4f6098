-- The traits a segment condition compares, one row per live customer: a narrow copy of profile.customers (no names,
-- addresses, preferences, field times or user ids; 96 MB against 166 MB at a million customers). A full segment
-- evaluation reads every candidate's row, and with these pages the nested segment's query of bench/segment.sh took
-- 266 ms against 342 on profile.customers (docs/performance.md, decision 35). Kept by triggers, one statement at a time,
-- so every writer (the batch writer, a merge, an erasure, the benchmarks' SQL) keeps it true in its own transaction.
-- Whether an email, a phone or a loyalty card is known is all a segment may ask of them, so only that is copied.
CREATE TABLE profile.customer_traits (
    customer_id         uuid        PRIMARY KEY,
    created_at          timestamptz NOT NULL,
    birth_date          date,
    consent_email       boolean,
    consent_sms         boolean,
    consent_advertising boolean,
    has_email           boolean     NOT NULL,
    has_phone           boolean     NOT NULL,
    has_loyalty_card    boolean     NOT NULL,
    country_code        char(2),
    gender              text,
    city_normalized     text,
    state               text,
    postal_code         text,
    segment             text
);
CREATE INDEX customer_traits_city_idx ON profile.customer_traits (city_normalized);
CREATE INDEX customer_traits_segment_idx ON profile.customer_traits (segment);

-- Copies the live rows among the written ones whose traits differ from the copy (most profile writes change a
-- name, a field time or the user ids, and then nothing is written here), and drops the rows of customers merged into
-- another or deleted.
CREATE FUNCTION profile.customer_traits_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM profile.customer_traits
        WHERE customer_id IN (SELECT customer_id FROM written WHERE merged_into IS NOT NULL OR deleted_at IS NOT NULL);
    END IF;
    INSERT INTO profile.customer_traits AS t (customer_id, created_at, birth_date, consent_email, consent_sms, consent_advertising,
                                              has_email, has_phone, has_loyalty_card, country_code, gender, city_normalized,
                                              state, postal_code, segment)
    SELECT w.customer_id, w.created_at, w.birth_date, w.consent_email, w.consent_sms, w.consent_advertising,
           w.email_normalized IS NOT NULL, w.phone_e164 IS NOT NULL, w.loyalty_card IS NOT NULL, w.country_code, w.gender,
           w.city_normalized, w.state, w.postal_code, w.segment
    FROM written w LEFT JOIN profile.customer_traits k ON k.customer_id = w.customer_id
    WHERE w.merged_into IS NULL AND w.deleted_at IS NULL
      AND (k.customer_id IS NULL
           OR (k.created_at, k.birth_date, k.consent_email, k.consent_sms, k.consent_advertising, k.has_email, k.has_phone,
               k.has_loyalty_card, k.country_code, k.gender, k.city_normalized, k.state, k.postal_code, k.segment)
              IS DISTINCT FROM
              (w.created_at, w.birth_date, w.consent_email, w.consent_sms, w.consent_advertising, w.email_normalized IS NOT NULL,
               w.phone_e164 IS NOT NULL, w.loyalty_card IS NOT NULL, w.country_code, w.gender, w.city_normalized, w.state,
               w.postal_code, w.segment))
    ON CONFLICT (customer_id) DO UPDATE SET
        created_at = excluded.created_at, birth_date = excluded.birth_date, consent_email = excluded.consent_email,
        consent_sms = excluded.consent_sms, consent_advertising = excluded.consent_advertising, has_email = excluded.has_email,
        has_phone = excluded.has_phone, has_loyalty_card = excluded.has_loyalty_card, country_code = excluded.country_code,
        gender = excluded.gender, city_normalized = excluded.city_normalized, state = excluded.state,
        postal_code = excluded.postal_code, segment = excluded.segment;
    RETURN NULL;
END $$;

CREATE FUNCTION profile.customer_traits_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM profile.customer_traits WHERE customer_id IN (SELECT customer_id FROM deleted);
    RETURN NULL;
END $$;

CREATE TRIGGER customer_traits_inserted AFTER INSERT ON profile.customers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_traits_written();
CREATE TRIGGER customer_traits_updated AFTER UPDATE ON profile.customers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_traits_written();
CREATE TRIGGER customer_traits_deleted AFTER DELETE ON profile.customers
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_traits_deleted();

INSERT INTO profile.customer_traits (customer_id, created_at, birth_date, consent_email, consent_sms, consent_advertising,
                                     has_email, has_phone, has_loyalty_card, country_code, gender, city_normalized, state,
                                     postal_code, segment)
SELECT customer_id, created_at, birth_date, consent_email, consent_sms, consent_advertising, email_normalized IS NOT NULL,
       phone_e164 IS NOT NULL, loyalty_card IS NOT NULL, country_code, gender, city_normalized, state, postal_code, segment
FROM profile.customers
WHERE merged_into IS NULL AND deleted_at IS NULL;

-- What segment conditions read: the traits and the facts of each live customer, under the same column names as
-- read_customers_v1 (the presence of an email, a phone and a loyalty card as has_email, has_phone, has_loyalty_card).
CREATE VIEW profile.read_customer_traits_v1 AS
SELECT t.customer_id,
       t.birth_date, date_part('year', age(t.birth_date))::int AS age,
       t.gender, t.city_normalized, t.state, t.postal_code, t.country_code, t.segment,
       t.consent_email, t.consent_sms, t.consent_advertising, t.has_email, t.has_phone, t.has_loyalty_card,
       t.created_at, greatest(f.last_transaction_at, f.last_interaction_at) AS last_seen_at,
       coalesce(f.transaction_count, 0) AS transaction_count,
       coalesce(f.transaction_total, 0) AS transaction_total,
       coalesce(f.purchase_count, 0)    AS purchase_count,
       coalesce(f.purchase_total, 0)    AS purchase_total,
       coalesce(f.fuel_count, 0)        AS fuel_count,
       coalesce(f.fuel_total, 0)        AS fuel_total,
       coalesce(f.market_count, 0)      AS market_count,
       coalesce(f.market_total, 0)      AS market_total,
       f.first_transaction_at, f.last_transaction_at,
       coalesce(f.interaction_count, 0) AS interaction_count,
       f.last_interaction_at
FROM profile.customer_traits t
LEFT JOIN profile.customer_facts f ON f.customer_id = t.customer_id;

COMMENT ON VIEW profile.read_customer_traits_v1 IS 'Read model v1: one row per live customer, the traits segments compare and the facts';
GRANT SELECT ON profile.read_customer_traits_v1 TO cdp_profile_reader;

-- A customer's user ids on the customer's row, so the activation read model (every member of a segment streamed to
-- export-service) reads one row per customer instead of looking up the identities of each: that lookup was a third
-- of PostgreSQL's time producing a million-member export (docs/performance.md). Kept by triggers on identities, one
-- statement at a time, so every writer (the batch writer, a merge moving identities, an erasure) keeps it true.
ALTER TABLE profile.customers ADD COLUMN user_ids text[];

-- The user ids are picked from all of a customer's identities (a handful) by FILTER, not by a WHERE on id_type: with
-- one, PostgreSQL combined the customer's index with the primary key's range of every user id (tens of thousands of
-- rows a customer) and the batch writer took 300 ms a batch here (docs/performance.md).
CREATE FUNCTION profile.customer_user_ids_recount(customers uuid[]) RETURNS void LANGUAGE sql AS $$
    UPDATE profile.customers c
    SET user_ids = (SELECT array_agg(i.id_value ORDER BY i.id_value) FILTER (WHERE i.id_type = 'userId')
                    FROM profile.identities i WHERE i.customer_id = c.customer_id)
    WHERE c.customer_id = ANY(customers);
$$;

CREATE FUNCTION profile.customer_user_ids_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.customer_user_ids_recount(ARRAY(SELECT DISTINCT customer_id FROM added WHERE id_type = 'userId'));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.customer_user_ids_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.customer_user_ids_recount(ARRAY(SELECT customer_id FROM before WHERE id_type = 'userId'
                                                    UNION SELECT customer_id FROM after WHERE id_type = 'userId'));
    RETURN NULL;
END $$;

CREATE FUNCTION profile.customer_user_ids_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profile.customer_user_ids_recount(ARRAY(SELECT DISTINCT customer_id FROM before WHERE id_type = 'userId'));
    RETURN NULL;
END $$;

CREATE TRIGGER customer_user_ids_added AFTER INSERT ON profile.identities
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_user_ids_added();
CREATE TRIGGER customer_user_ids_moved AFTER UPDATE ON profile.identities
    REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_user_ids_moved();
CREATE TRIGGER customer_user_ids_removed AFTER DELETE ON profile.identities
    REFERENCING OLD TABLE AS before FOR EACH STATEMENT EXECUTE FUNCTION profile.customer_user_ids_removed();

UPDATE profile.customers c SET user_ids = u.ids
FROM (SELECT customer_id, array_agg(id_value ORDER BY id_value) AS ids FROM profile.identities WHERE id_type = 'userId' GROUP BY customer_id) u
WHERE u.customer_id = c.customer_id;

CREATE OR REPLACE VIEW profile.read_activation_identifiers_v1 AS
SELECT c.customer_id, c.email_normalized AS email, c.phone_e164 AS phone, c.first_name, c.last_name,
       c.birth_date, c.gender, c.city, c.state, c.postal_code, c.country_code,
       c.consent_advertising, c.consent_email, c.consent_sms, c.user_ids
FROM profile.customers c
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

-- Silver: the customer profile, cleaned, with the time each field was last set (later message wins).
ALTER TABLE profile.customers
    ADD COLUMN merged_into         uuid REFERENCES profile.customers,
    ADD COLUMN deleted_at          timestamptz,
    ADD COLUMN first_name          text,
    ADD COLUMN last_name           text,
    ADD COLUMN email               text,
    ADD COLUMN email_normalized    text,
    ADD COLUMN phone               text,
    ADD COLUMN phone_e164          text,
    ADD COLUMN birth_date          date,
    ADD COLUMN gender              text,
    ADD COLUMN city                text,
    ADD COLUMN city_normalized     text,
    ADD COLUMN state               text,
    ADD COLUMN postal_code         text,
    ADD COLUMN country_code        char(2),
    ADD COLUMN segment             text,
    ADD COLUMN loyalty_card        text,
    ADD COLUMN preferences         jsonb,
    ADD COLUMN consent_email       boolean,
    ADD COLUMN consent_sms         boolean,
    ADD COLUMN consent_advertising boolean,
    -- field name -> timestamp of the message that set it; an older message never overwrites a newer value
    ADD COLUMN field_times         jsonb NOT NULL DEFAULT '{}';
CREATE INDEX customers_merged_into_idx ON profile.customers (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX customers_city_idx ON profile.customers (city_normalized) WHERE merged_into IS NULL;
CREATE INDEX customers_segment_idx ON profile.customers (segment) WHERE merged_into IS NULL;
CREATE INDEX customers_updated_idx ON profile.customers (updated_at, customer_id) WHERE merged_into IS NULL;

-- Interactions now come from track, page and screen calls.
ALTER TABLE profile.interactions
    ADD COLUMN type    text NOT NULL DEFAULT 'track' CHECK (type IN ('track', 'page', 'screen')),
    ADD COLUMN channel text;

-- Silver: POS and shop transactions.
CREATE TABLE profile.transactions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id     uuid          NOT NULL REFERENCES profile.customers,
    raw_event_id    bigint        NOT NULL REFERENCES profile.raw_events,
    transaction_id  text          NOT NULL,
    type            text          NOT NULL CHECK (type IN ('PURCHASE', 'FUEL', 'MARKET')),
    amount          numeric(18,4) NOT NULL CHECK (amount >= 0),
    currency        char(3)       NOT NULL,
    store_id        text,
    items           jsonb         NOT NULL DEFAULT '[]',
    source          text          NOT NULL,
    occurred_at     timestamptz   NOT NULL
);
CREATE INDEX transactions_customer_id_occurred_at_idx ON profile.transactions (customer_id, occurred_at DESC, id DESC);

-- Silver: every consent change, with when and where it came from. The current state is on customers.
CREATE TABLE profile.consent_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  uuid        NOT NULL REFERENCES profile.customers,
    channel      text        NOT NULL,
    granted      boolean     NOT NULL,
    source       text        NOT NULL,
    message_id   text        NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX consent_changes_customer_id_idx ON profile.consent_changes (customer_id, occurred_at DESC);

-- Values that could not be cleaned: kept on the profile, never dropped silently.
CREATE TABLE profile.quality_issues (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  uuid        NOT NULL REFERENCES profile.customers,
    field        text        NOT NULL,
    value        text,
    problem      text        NOT NULL,
    source       text        NOT NULL,
    message_id   text        NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX quality_issues_customer_id_idx ON profile.quality_issues (customer_id);

-- Gold: per-customer facts, kept current as data arrives. Rolling windows are answered from silver at query time.
CREATE TABLE profile.customer_facts (
    customer_id           uuid          PRIMARY KEY REFERENCES profile.customers,
    transaction_count     bigint        NOT NULL DEFAULT 0,
    transaction_total     numeric(20,4) NOT NULL DEFAULT 0,
    purchase_count        bigint        NOT NULL DEFAULT 0,
    purchase_total        numeric(20,4) NOT NULL DEFAULT 0,
    fuel_count            bigint        NOT NULL DEFAULT 0,
    fuel_total            numeric(20,4) NOT NULL DEFAULT 0,
    market_count          bigint        NOT NULL DEFAULT 0,
    market_total          numeric(20,4) NOT NULL DEFAULT 0,
    first_transaction_at  timestamptz,
    last_transaction_at   timestamptz,
    interaction_count     bigint        NOT NULL DEFAULT 0,
    last_interaction_at   timestamptz
);

CREATE TABLE profile.customer_event_counts (
    customer_id  uuid        NOT NULL REFERENCES profile.customers,
    event_name   text        NOT NULL,
    count        bigint      NOT NULL,
    first_at     timestamptz NOT NULL,
    last_at      timestamptz NOT NULL,
    PRIMARY KEY (customer_id, event_name)
);

-- Change events are written with the data and sent after the commit, so none is lost in a crash: one row per
-- committed batch, holding its events.
CREATE TABLE profile.change_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    events       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- Interactions no longer need a unique raw_event_id: bronze's (source, message_id) already stores a message once.
ALTER TABLE profile.interactions DROP CONSTRAINT interactions_raw_event_id_key;

-- The read model: the contract segment-service (and analysts) query through the role cdp_profile_reader. Version 1;
-- a change that breaks a reader gets new views (_v2) beside these, never an edit of them.
CREATE VIEW profile.read_customers_v1 AS
SELECT c.customer_id,
       c.first_name, c.last_name, c.email_normalized AS email, c.phone_e164 AS phone,
       c.birth_date, date_part('year', age(c.birth_date))::int AS age,
       c.gender, c.city, c.city_normalized, c.state, c.postal_code, c.country_code, c.segment, c.loyalty_card,
       c.consent_email, c.consent_sms, c.consent_advertising,
       c.created_at, c.updated_at, greatest(f.last_transaction_at, f.last_interaction_at) AS last_seen_at,
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
FROM profile.customers c
LEFT JOIN profile.customer_facts f ON f.customer_id = c.customer_id
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

CREATE VIEW profile.read_transactions_v1 AS
SELECT t.id, t.customer_id, t.transaction_id, t.type, t.amount, t.currency, t.store_id, t.items, t.source, t.occurred_at
FROM profile.transactions t
JOIN profile.customers c ON c.customer_id = t.customer_id
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

CREATE VIEW profile.read_interactions_v1 AS
SELECT i.id, i.customer_id, i.type, i.event_name, i.properties, i.channel, i.source, i.occurred_at
FROM profile.interactions i
JOIN profile.customers c ON c.customer_id = i.customer_id
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

CREATE VIEW profile.read_event_counts_v1 AS
SELECT e.customer_id, e.event_name, e.count, e.first_at, e.last_at
FROM profile.customer_event_counts e
JOIN profile.customers c ON c.customer_id = e.customer_id
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

-- What activation needs: the identifiers an ad platform matches on, with the consents that allow it.
CREATE VIEW profile.read_activation_identifiers_v1 AS
SELECT c.customer_id, c.email_normalized AS email, c.phone_e164 AS phone, c.first_name, c.last_name,
       c.birth_date, c.gender, c.city, c.state, c.postal_code, c.country_code,
       c.consent_advertising, c.consent_email, c.consent_sms,
       (SELECT array_agg(i.id_value ORDER BY i.id_value) FROM profile.identities i
         WHERE i.customer_id = c.customer_id AND i.id_type = 'userId') AS user_ids
FROM profile.customers c
WHERE c.merged_into IS NULL AND c.deleted_at IS NULL;

COMMENT ON VIEW profile.read_customers_v1 IS 'Read model v1: one row per live customer, profile and facts';
COMMENT ON VIEW profile.read_transactions_v1 IS 'Read model v1: transactions of live customers';
COMMENT ON VIEW profile.read_interactions_v1 IS 'Read model v1: interactions of live customers';
COMMENT ON VIEW profile.read_event_counts_v1 IS 'Read model v1: interaction counts per customer and event name';
COMMENT ON VIEW profile.read_activation_identifiers_v1 IS 'Read model v1: matchable identifiers and consents';

GRANT SELECT ON profile.read_customers_v1, profile.read_transactions_v1, profile.read_interactions_v1,
    profile.read_event_counts_v1, profile.read_activation_identifiers_v1 TO cdp_profile_reader;

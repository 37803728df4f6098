-- Bronze: every message consumed from cdp.events.raw, exactly as received.
CREATE TABLE profile.raw_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        text        NOT NULL,
    message_id    text        NOT NULL,
    type          text        NOT NULL,
    user_id       text,
    anonymous_id  text,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now(),
    payload       jsonb       NOT NULL,
    -- A message seen again from the same source is ignored; the constraint holds across replicas and restarts.
    CONSTRAINT raw_events_source_message_id_key UNIQUE (source, message_id)
);

-- Silver: one row per customer.
CREATE TABLE profile.customers (
    customer_id  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every identifier a customer is known by; one identifier belongs to one customer.
CREATE TABLE profile.identities (
    id_type        text        NOT NULL CHECK (id_type IN ('userId', 'anonymousId', 'email', 'phone', 'loyaltyCard')),
    id_value       text        NOT NULL,
    customer_id    uuid        NOT NULL REFERENCES profile.customers,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id_type, id_value)
);
CREATE INDEX identities_customer_id_idx ON profile.identities (customer_id);

-- Digital interactions (track calls): what a customer did, where and when.
CREATE TABLE profile.interactions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   uuid        NOT NULL REFERENCES profile.customers,
    raw_event_id  bigint      NOT NULL UNIQUE REFERENCES profile.raw_events,
    event_name    text        NOT NULL,
    properties    jsonb       NOT NULL DEFAULT '{}',
    source        text        NOT NULL,
    occurred_at   timestamptz NOT NULL
);
CREATE INDEX interactions_customer_id_occurred_at_idx ON profile.interactions (customer_id, occurred_at DESC, id DESC);

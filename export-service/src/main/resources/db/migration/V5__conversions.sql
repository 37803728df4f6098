-- Conversions forwarded in real time (docs/conversions.md): per destination, which stored events become which platform
-- events; a queue drained in batches per destination; what could not be sent, with the reason; counts by outcome.
-- The queue holds each event as the platform will receive it, identifiers already SHA-256-hashed: no clear-text PII.

CREATE TABLE export.conversion_settings (
    destination_id   uuid        PRIMARY KEY REFERENCES export.destinations (id) ON DELETE CASCADE,
    enabled          boolean     NOT NULL,
    -- Events accepted at the intake before this are not forwarded (enabling does not replay the topic's history).
    enabled_at       timestamptz,
    -- Sent with every call, so the platform shows the events in its test view and does not count them.
    test_event_code  text,
    -- The rules as the user set them (JSON text of an array, checked when set); null means the defaults.
    rules            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          int         NOT NULL DEFAULT 0
);

CREATE TABLE export.conversion_queue (
    id               bigserial   PRIMARY KEY,
    destination_id   uuid        NOT NULL REFERENCES export.destinations (id) ON DELETE CASCADE,
    message_id       text        NOT NULL,
    platform_event   text        NOT NULL,
    customer_id      uuid        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    -- When the intake accepted it: the delivery latency is measured from here.
    accepted_at      timestamptz NOT NULL,
    -- The platform takes it until then (Meta: 7 days after it happened, 62 for a sale at the till).
    expires_at       timestamptz NOT NULL,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    body             text        NOT NULL,
    -- Tries that failed so far.
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    -- A redelivered stored event is queued once.
    UNIQUE (destination_id, message_id, platform_event)
);
-- Oldest first per destination; the few waiting for a retry are passed over. No index on customer_id: only an
-- erasure looks for a customer, and the queue is short.
CREATE INDEX conversion_queue_destination_idx ON export.conversion_queue (destination_id, id);

-- Which sender (a replica's) drains a destination now, until when: one at a time, so events are sent once and in
-- order, without a write per event to claim it.
CREATE TABLE export.conversion_senders (
    destination_id   uuid        PRIMARY KEY REFERENCES export.destinations (id) ON DELETE CASCADE,
    sender           uuid        NOT NULL,
    lease_until      timestamptz NOT NULL
);

CREATE TABLE export.conversion_dead_letters (
    id               bigserial   PRIMARY KEY,
    destination_id   uuid        NOT NULL REFERENCES export.destinations (id) ON DELETE CASCADE,
    message_id       text        NOT NULL,
    platform_event   text        NOT NULL,
    customer_id      uuid        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    attempts         int         NOT NULL,
    reason           text        NOT NULL,
    failed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversion_dead_letters_destination_idx ON export.conversion_dead_letters (destination_id, id DESC);
CREATE INDEX conversion_dead_letters_customer_idx ON export.conversion_dead_letters (customer_id);

-- outcome: SENT, FAILED (dead-lettered) or DROPPED (not sent on purpose: no consent, too old, ...); reason '' for SENT.
CREATE TABLE export.conversion_counts (
    destination_id   uuid        NOT NULL REFERENCES export.destinations (id) ON DELETE CASCADE,
    outcome          text        NOT NULL,
    reason           text        NOT NULL,
    count            bigint      NOT NULL,
    PRIMARY KEY (destination_id, outcome, reason)
);

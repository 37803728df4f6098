-- Right to erasure (docs/security.md). A request is resolved when it is made: the identifier it names is never stored,
-- only the customers it led to (until the erasure completes) and the suppression list's keyed hashes.
CREATE TABLE profile.erasures (
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE, -- the list's order and cursor
    requested_by     text        NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    -- customerId, userId, email, phone or loyaltyCard: what the request named, never its value.
    identifier_type  text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('ERASING', 'COMPLETED')),
    -- The step under way: PROFILE, SEGMENTS, EXPORTS, then DONE.
    step             text        NOT NULL CHECK (step IN ('PROFILE', 'SEGMENTS', 'EXPORTS', 'DONE')),
    customers        int         NOT NULL,
    suppressed       int         NOT NULL,
    -- What each step did, as counts and the other services' reports.
    progress         jsonb       NOT NULL DEFAULT '{}',
    -- Why the step under way waits (another service unreachable, a destination that needs attention); null when not.
    waiting_for      text,
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);
CREATE INDEX erasures_open_idx ON profile.erasures (next_attempt_at) WHERE status = 'ERASING';

-- The customers an open erasure removes; deleted when it completes.
CREATE TABLE profile.erasure_customers (
    erasure_id   uuid NOT NULL REFERENCES profile.erasures ON DELETE CASCADE,
    customer_id  uuid NOT NULL,
    PRIMARY KEY (erasure_id, customer_id)
);

-- Identifiers whose events are dropped on arrival: HMAC-SHA256 of "type:value" (the value as identities hold it) under
-- CDP_SUPPRESSION_KEY, so the list neither names anyone nor matches the platforms' plain SHA-256 hashes.
CREATE TABLE profile.suppressions (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash        bytea       NOT NULL UNIQUE,
    id_type     text        NOT NULL,
    erasure_id  uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
);

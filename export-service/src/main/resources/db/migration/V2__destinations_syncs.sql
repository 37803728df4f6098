-- Audience delivery through the platforms' APIs: where to (destinations), what (syncs), what happened (runs, audit),
-- and what each platform audience holds according to us (the ledger). No clear-text PII is stored: the ledger keeps
-- the SHA-256 hashes exactly as they were sent, so a removal sends the same hashes the add did.

-- A connection to an ad account or a webhook. Settings are not secret (account ids, URLs); credentials (tokens,
-- secrets) are AES-GCM sealed with the key from the environment and never returned.
CREATE TABLE export.destinations (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('META', 'GOOGLE', 'TIKTOK', 'WEBHOOK')),
    settings     jsonb       NOT NULL DEFAULT '{}',
    credentials  bytea       NOT NULL,
    -- NEEDS_ATTENTION: the platform refused the credentials; its syncs wait until they are replaced.
    status       text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'NEEDS_ATTENTION')),
    attention    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int         NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX destinations_name_idx ON export.destinations (lower(name));

-- A segment kept matched in one destination.
CREATE TABLE export.syncs (
    id                    uuid        PRIMARY KEY,
    segment_id            uuid        NOT NULL,
    destination_id        uuid        NOT NULL REFERENCES export.destinations (id),
    mode                  text        NOT NULL CHECK (mode IN ('MIRROR', 'ADD_ONLY')),
    -- The identifiers sent, as a JSON array of our names: ["EMAIL", "PHONE", ...].
    identifiers           text        NOT NULL,
    trigger               text        NOT NULL CHECK (trigger IN ('ON_CHANGE', 'INTERVAL', 'MANUAL')),
    interval_minutes      int         CHECK (interval_minutes BETWEEN 1 AND 10080),
    enabled               boolean     NOT NULL DEFAULT true,
    audience_name         text        NOT NULL,
    -- The platform's audience (Meta custom audience, Google user list, TikTok audience); created by the first run when null.
    platform_audience_id  text,
    -- Set once a full upload succeeded: later runs send differences only.
    full_upload_at        timestamptz,
    next_run_at           timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               int         NOT NULL DEFAULT 0
);
-- One sync per segment and destination.
CREATE UNIQUE INDEX syncs_segment_destination_idx ON export.syncs (segment_id, destination_id);
CREATE INDEX syncs_destination_idx ON export.syncs (destination_id);

-- One run of a sync: the audit record of what was sent and what the platform said.
CREATE TABLE export.sync_runs (
    id                        uuid        PRIMARY KEY,
    sync_id                   uuid        NOT NULL REFERENCES export.syncs (id) ON DELETE CASCADE,
    kind                      text        NOT NULL CHECK (kind IN ('FULL', 'INCREMENTAL')),
    trigger                   text        NOT NULL,
    status                    text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
    created_at                timestamptz NOT NULL DEFAULT now(),
    started_at                timestamptz,
    finished_at               timestamptz,
    heartbeat_at              timestamptz,
    members_read              bigint      NOT NULL DEFAULT 0,
    rows_added                bigint      NOT NULL DEFAULT 0,
    rows_removed              bigint      NOT NULL DEFAULT 0,
    rows_failed               bigint      NOT NULL DEFAULT 0,
    skipped_no_consent        bigint      NOT NULL DEFAULT 0,
    skipped_no_identifier     bigint      NOT NULL DEFAULT 0,
    -- Adds cut off by a crash while at the platform: taken as delivered, never sent twice.
    unconfirmed_adds          bigint      NOT NULL DEFAULT 0,
    platform_received         bigint      NOT NULL DEFAULT 0,
    platform_invalid          bigint      NOT NULL DEFAULT 0,
    -- JSON text (read through JPA converters: Hibernate Reactive maps JSON columns to objects only).
    invalid_samples           text        NOT NULL DEFAULT '[]',
    request_ids               text        NOT NULL DEFAULT '[]',
    coverage                  text        NOT NULL DEFAULT '{}',
    -- Where a full run resumes after a crash: the last customer id whose batch the platform confirmed, and the
    -- platform's upload session.
    resume_after              uuid,
    session_id                bigint,
    batches_sent              int         NOT NULL DEFAULT 0,
    error                     text
);
CREATE INDEX sync_runs_sync_idx ON export.sync_runs (sync_id, created_at DESC);
-- One run at a time per sync.
CREATE UNIQUE INDEX sync_runs_one_active_idx ON export.sync_runs (sync_id) WHERE status IN ('QUEUED', 'RUNNING');

-- The ledger: who is in the platform audience because of this sync, with the hashes sent (columns of the platform's
-- row format, null where empty).
CREATE TABLE export.sync_members (
    sync_id      uuid        NOT NULL REFERENCES export.syncs (id) ON DELETE CASCADE,
    customer_id  uuid        NOT NULL,
    hashes       text[]      NOT NULL,
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (sync_id, customer_id)
);
CREATE INDEX sync_members_customer_idx ON export.sync_members (customer_id);

-- Customers to reconsider at a sync's next incremental run: their membership, consent or identifiers changed.
CREATE TABLE export.sync_changes (
    sync_id      uuid        NOT NULL REFERENCES export.syncs (id) ON DELETE CASCADE,
    customer_id  uuid        NOT NULL,
    noted_at     timestamptz NOT NULL,
    PRIMARY KEY (sync_id, customer_id)
);

-- A batch written here before it is sent and deleted with the ledger update that follows the platform's answer; one
-- left behind was cut off by a crash. Adds in it are then taken as delivered (an add is never sent twice), removals
-- are sent again (a removal is never lost).
CREATE TABLE export.sync_inflight (
    run_id        uuid        NOT NULL REFERENCES export.sync_runs (id) ON DELETE CASCADE,
    batch         int         NOT NULL,
    action        text        NOT NULL CHECK (action IN ('ADD', 'REMOVE')),
    customer_ids  uuid[]      NOT NULL,
    hashes        text[]      NOT NULL, -- one row per customer, its columns joined by a tab
    PRIMARY KEY (run_id, batch)
);

-- Every call to a platform and its outcome.
CREATE TABLE export.delivery_audit (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT now(),
    destination_id   uuid        NOT NULL,
    sync_id          uuid,
    run_id           uuid,
    operation        text        NOT NULL,
    rows             int         NOT NULL DEFAULT 0,
    outcome          text        NOT NULL,
    http_status      int,
    platform_code    text,
    request_id       text,
    duration_ms      int         NOT NULL,
    detail           text
);
CREATE INDEX delivery_audit_destination_idx ON export.delivery_audit (destination_id, at DESC);
CREATE INDEX delivery_audit_run_idx ON export.delivery_audit (run_id);

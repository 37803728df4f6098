-- Erasures asked for by profile-service (docs/security.md): the customers to take out of retained files and of every
-- synced audience. The customer ids are deleted once the erasure completes.
CREATE TABLE export.erasures (
    id             uuid        PRIMARY KEY,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    status         text        NOT NULL CHECK (status IN ('ERASING', 'COMPLETED')),
    files_done     boolean     NOT NULL DEFAULT false,
    files          jsonb       NOT NULL DEFAULT '{}',
    -- Ledger rows (customer and sync) that held the customers when the erasure was registered.
    held_at_start  int         NOT NULL,
    waiting_for    text,
    completed_at   timestamptz
);
CREATE TABLE export.erasure_customers (
    erasure_id   uuid NOT NULL REFERENCES export.erasures ON DELETE CASCADE,
    customer_id  uuid NOT NULL,
    PRIMARY KEY (erasure_id, customer_id)
);

-- Rows an erasure took out of a finished file (its rows_written counts what is in the file now).
ALTER TABLE export.jobs ADD COLUMN rows_erased bigint NOT NULL DEFAULT 0;

-- A finished run does not resume: where it would have resumed (a customer id) is forgotten when it finishes.
UPDATE export.sync_runs SET resume_after = NULL WHERE status NOT IN ('QUEUED', 'RUNNING');

-- Export jobs, which are also the audit trail: who asked for which segment (and which version of its definition),
-- for which platform, with which normalizer, what happened to every member read, and where the file is until its
-- retention ends. Counts only: no PII is stored here.
CREATE TABLE export.jobs (
    id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    segment_id             uuid        NOT NULL,
    segment_name           text        NOT NULL,
    segment_version        int         NOT NULL,
    segment_evaluated_at   timestamptz,
    platform               text        NOT NULL CHECK (platform IN ('META', 'GOOGLE', 'TIKTOK')),
    delivery               text        NOT NULL CHECK (delivery IN ('FILE')),
    status                 text        NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    requested_by           text        NOT NULL,
    normalizer_version     text        NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    started_at             timestamptz,
    finished_at            timestamptz,
    -- Refreshed while a job runs; a RUNNING job not heard from for a while lost its runner (a restart or a crash).
    heartbeat_at           timestamptz,
    rows_read              bigint      NOT NULL DEFAULT 0,
    rows_written           bigint      NOT NULL DEFAULT 0,
    skipped_no_consent     bigint      NOT NULL DEFAULT 0,
    skipped_no_identifier  bigint      NOT NULL DEFAULT 0,
    invalid_phones         bigint      NOT NULL DEFAULT 0,
    -- Per identifier, how many written rows carry it: {"EMAIL": 950, "PHONE": 870, ...}.
    coverage               jsonb       NOT NULL DEFAULT '{}',
    file_name              text,
    file_size              bigint,
    expires_at             timestamptz,
    file_deleted_at        timestamptz,
    error                  text
);
CREATE INDEX jobs_created_at_idx ON export.jobs (created_at DESC, id DESC);
CREATE INDEX jobs_segment_id_idx ON export.jobs (segment_id, created_at DESC);
CREATE INDEX jobs_unfinished_idx ON export.jobs (created_at) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX jobs_expiring_idx ON export.jobs (expires_at) WHERE file_deleted_at IS NULL AND expires_at IS NOT NULL;

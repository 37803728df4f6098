-- Write keys managed over the API (WriteKeyResource). The key itself is never stored: only its SHA-256 (hex) and a
-- hint to tell keys apart. A rotated key keeps working until expires_at; a revoked one stops at once.
CREATE TABLE ingestion.write_keys (
    id              uuid        PRIMARY KEY,
    name            text        NOT NULL,
    source          text        NOT NULL,
    key_hash        text        NOT NULL UNIQUE,
    key_hint        text        NOT NULL,
    -- Space-separated origins with * wildcards, as CDP_ALLOWED_ORIGINS writes them; empty: the source's origins.
    allowed_origins text        NOT NULL DEFAULT '',
    rate_per_second integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    replaced_by     uuid,
    version         integer     NOT NULL DEFAULT 0
);

-- The outbox's change events are only ever read back whole by the service: kept as the JSON text it wrote, they
-- skip PostgreSQL's jsonb parse on every batch (docs/performance.md).
ALTER TABLE profile.change_outbox ALTER COLUMN events TYPE text USING events::text;

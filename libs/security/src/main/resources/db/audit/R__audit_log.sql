-- Who did what, when and from where, on this service's API (libs/security AuditLog): every change and every read of
-- personal data. Rows are only ever added. Each service keeps its own, in its own schema.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.audit_log (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    roles text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    query_parameters text NOT NULL,
    status integer NOT NULL,
    remote_address text,
    forwarded_for text
);
CREATE INDEX IF NOT EXISTS audit_log_actor ON ${flyway:defaultSchema}.audit_log (actor, id);

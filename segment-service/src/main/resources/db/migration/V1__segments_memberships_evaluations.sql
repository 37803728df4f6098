-- Segment definitions. The definition is the public JSON contract; version counts its changes, so an evaluation
-- (and an export) can say which one it used.
CREATE TABLE segment.segments (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text        NOT NULL,
    description        text,
    definition         jsonb       NOT NULL,
    version            int         NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    size               bigint,
    last_evaluated_at  timestamptz
);
CREATE UNIQUE INDEX segments_name_key ON segment.segments (lower(name));

-- Who is in each segment now, and since when.
CREATE TABLE segment.memberships (
    segment_id   uuid        NOT NULL REFERENCES segment.segments ON DELETE CASCADE,
    customer_id  uuid        NOT NULL,
    entered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX memberships_customer_id_idx ON segment.memberships (customer_id);

-- Every evaluation: the size over time and who entered and exited.
CREATE TABLE segment.evaluations (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    segment_id          uuid        NOT NULL REFERENCES segment.segments ON DELETE CASCADE,
    definition_version  int         NOT NULL,
    evaluated_at        timestamptz NOT NULL,
    size                bigint      NOT NULL,
    entered             bigint      NOT NULL,
    exited              bigint      NOT NULL,
    duration_ms         bigint      NOT NULL,
    trigger             text        NOT NULL
);
CREATE INDEX evaluations_segment_id_idx ON segment.evaluations (segment_id, evaluated_at DESC);

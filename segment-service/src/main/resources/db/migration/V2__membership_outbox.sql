-- Membership changes are written with the evaluation that found them and sent to cdp.segments.membership after the
-- commit, so none is lost; rows are deleted once Kafka has them.
CREATE TABLE segment.membership_outbox (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    segment_id          uuid        NOT NULL,
    customer_id         uuid        NOT NULL,
    change              text        NOT NULL CHECK (change IN ('ENTERED', 'EXITED')),
    definition_version  int         NOT NULL,
    occurred_at         timestamptz NOT NULL
);

-- The ledger's rows as LedgerCells packs them (a SHA-256 as its 32 bytes, other text with its length, an empty cell
-- as one byte) instead of arrays of hex text: a full upload writes a row per member in flight and again in the ledger,
-- and the text was twice the bytes (docs/performance.md). A batch in flight is written once and read only after a
-- crash, so it is stored without compression.

-- LedgerCells.pack as of this migration, for the rows already stored.
CREATE FUNCTION pg_temp.packed(cells text[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    packed bytea := '\x'::bytea;
    cell text;
BEGIN
    FOREACH cell IN ARRAY cells LOOP
        IF cell IS NULL OR cell = '' THEN
            packed := packed || '\x00'::bytea;
        ELSIF cell ~ '^[0-9a-f]{64}$' THEN
            packed := packed || '\x01'::bytea || decode(cell, 'hex');
        ELSE
            packed := packed || '\x02'::bytea || substring(int4send(octet_length(cell)) FROM 3 FOR 2) || convert_to(cell, 'UTF8');
        END IF;
    END LOOP;
    RETURN packed;
END $$;

ALTER TABLE export.sync_members ADD COLUMN cells bytea;
UPDATE export.sync_members SET cells = pg_temp.packed(hashes);
ALTER TABLE export.sync_members ALTER COLUMN cells SET NOT NULL;
ALTER TABLE export.sync_members DROP COLUMN hashes;

ALTER TABLE export.sync_inflight ADD COLUMN cells bytea[];
UPDATE export.sync_inflight SET cells = ARRAY(
    SELECT pg_temp.packed(string_to_array(row_text, E'\t', '')) FROM unnest(hashes) WITH ORDINALITY AS r(row_text, n) ORDER BY n);
ALTER TABLE export.sync_inflight ALTER COLUMN cells SET NOT NULL;
ALTER TABLE export.sync_inflight ALTER COLUMN cells SET STORAGE EXTERNAL;
ALTER TABLE export.sync_inflight DROP COLUMN hashes;
-- A full upload records its next batch while the one before it is at the platform, and marks it sent just before it
-- goes; a record left unsent by a crash never left and is dropped.
ALTER TABLE export.sync_inflight ADD COLUMN sent boolean NOT NULL DEFAULT true;
ALTER TABLE export.sync_inflight ALTER COLUMN sent DROP DEFAULT;
COMMENT ON COLUMN export.sync_inflight.cells IS 'one row per customer, as LedgerCells packs it';
COMMENT ON COLUMN export.sync_members.cells IS 'the row as it was sent, as LedgerCells packs it';

-- Bronze keeps each record as the text it arrived as: byte for byte what was sent (jsonb reorders keys and drops
-- repeated ones), and about 4 µs a message cheaper to write than a jsonb parse (docs/performance.md). Read it with
-- payload::jsonb. The conversion rewrites the table once, under a lock that stops the consumer meanwhile.
ALTER TABLE profile.raw_events ALTER COLUMN payload TYPE text USING payload::text;

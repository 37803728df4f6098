-- The consumer is the only writer of these tables and writes a child row in the same transaction as its parent.
-- A foreign key checked every child row with a lookup and a row lock on its parent (a write to the parent's page),
-- which cost about a third of each batch's inserts; see docs/decisions.md, "No foreign keys on consumed rows".
ALTER TABLE profile.identities DROP CONSTRAINT identities_customer_id_fkey;
ALTER TABLE profile.interactions DROP CONSTRAINT interactions_customer_id_fkey;
ALTER TABLE profile.interactions DROP CONSTRAINT interactions_raw_event_id_fkey;
ALTER TABLE profile.transactions DROP CONSTRAINT transactions_customer_id_fkey;
ALTER TABLE profile.transactions DROP CONSTRAINT transactions_raw_event_id_fkey;
ALTER TABLE profile.consent_changes DROP CONSTRAINT consent_changes_customer_id_fkey;
ALTER TABLE profile.quality_issues DROP CONSTRAINT quality_issues_customer_id_fkey;
ALTER TABLE profile.customer_facts DROP CONSTRAINT customer_facts_customer_id_fkey;
ALTER TABLE profile.customer_event_counts DROP CONSTRAINT customer_event_counts_customer_id_fkey;

-- Facts and event counts are updated in place batch after batch; room on each page lets PostgreSQL keep the new
-- version there without touching the index (a HOT update).
ALTER TABLE profile.customer_facts SET (fillfactor = 80);
ALTER TABLE profile.customer_event_counts SET (fillfactor = 80);

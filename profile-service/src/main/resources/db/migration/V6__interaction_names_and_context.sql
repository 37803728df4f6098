-- What the tracking libraries send beside the properties is kept on the interaction: the page or screen name and
-- category of page and screen calls, and the context a marketer asks about (the page's url, path, referrer, title and
-- search; the campaign's UTM values; user agent, locale, library, device, app, os, screen, network, timezone). The
-- message as sent stays in bronze.
ALTER TABLE profile.interactions
    ADD COLUMN name     text,
    ADD COLUMN category text,
    ADD COLUMN context  jsonb NOT NULL DEFAULT '{}';

-- Read model v1 gains the columns, at its end: a reader of the old columns sees no change.
CREATE OR REPLACE VIEW profile.read_interactions_v1 AS
SELECT i.id, i.customer_id, i.type, i.event_name, i.properties, i.channel, i.source, i.occurred_at,
       i.name, i.category, i.context
FROM profile.interactions i;

-- Segment conditions on an interaction's name and campaign compare case-insensitively (docs/segments.md); the common
-- questions, "saw the page Kampanya" and "came from campaign X / source instagram", are answered from these partial
-- indexes, which hold only the rows that have such a value, instead of reading every interaction.
CREATE INDEX interactions_name_idx ON profile.interactions (lower(name), customer_id) WHERE name IS NOT NULL;
CREATE INDEX interactions_campaign_name_idx ON profile.interactions (lower(context #>> '{campaign,name}'), customer_id)
    WHERE context #>> '{campaign,name}' IS NOT NULL;
CREATE INDEX interactions_campaign_source_idx ON profile.interactions (lower(context #>> '{campaign,source}'), customer_id)
    WHERE context #>> '{campaign,source}' IS NOT NULL;

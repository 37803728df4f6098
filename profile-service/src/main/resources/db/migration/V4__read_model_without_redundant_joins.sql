-- Same views, same rows, cheaper: a merge moves every transaction, interaction and event count of the absorbed
-- customer to the one that absorbed it in the merge's own transaction (decision 16), so these tables hold rows of
-- live customers only and the join to customers that filtered them was redundant. It cost a customer lookup per
-- row in every segment subquery (docs/performance.md). Whoever deletes a customer deletes their rows with them.
CREATE OR REPLACE VIEW profile.read_transactions_v1 AS
SELECT t.id, t.customer_id, t.transaction_id, t.type, t.amount, t.currency, t.store_id, t.items, t.source, t.occurred_at
FROM profile.transactions t;

CREATE OR REPLACE VIEW profile.read_interactions_v1 AS
SELECT i.id, i.customer_id, i.type, i.event_name, i.properties, i.channel, i.source, i.occurred_at
FROM profile.interactions i;

CREATE OR REPLACE VIEW profile.read_event_counts_v1 AS
SELECT e.customer_id, e.event_name, e.count, e.first_at, e.last_at
FROM profile.customer_event_counts e;

-- Synthetic profile data for bench/segment.sh, straight into the profile schema (not through Kafka):
-- :customers customers, :transactions transactions and :interactions interactions over the last 365 days, with
-- the gold facts and event counts derived from them as profile-service keeps them. Deterministic (setseed).
SELECT setseed(0.42);
SET synchronous_commit = off;
-- No autovacuum on these tables while loading: an auto-analyze's snapshot kept the VACUUMs below from marking part of
-- the pages all-visible, and windows were then read through the table instead of the index alone (a live server's
-- autovacuum keeps them marked, V5).
ALTER TABLE profile.customers SET (autovacuum_enabled = false);
ALTER TABLE profile.customer_traits SET (autovacuum_enabled = false);
ALTER TABLE profile.transactions SET (autovacuum_enabled = false);
ALTER TABLE profile.interactions SET (autovacuum_enabled = false);
ALTER TABLE profile.customer_facts SET (autovacuum_enabled = false);
ALTER TABLE profile.customer_event_counts SET (autovacuum_enabled = false);

-- Silver's secondary indexes are dropped for the load and built again after it from their saved definitions: kept
-- during the load, each inserted row updated them at a random place, which at 3x the default size no longer fit the
-- cache and the load ran for over 40 minutes; a CREATE INDEX sorts once.
CREATE TEMP TABLE bench_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indrelid IN ('profile.transactions'::regclass, 'profile.interactions'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
SELECT format('DROP INDEX %s', name) FROM bench_indexes \gexec

INSERT INTO profile.customers (customer_id, first_name, last_name, email_normalized, phone_e164, birth_date, gender,
                               city, city_normalized, country_code, segment, consent_email, consent_sms, consent_advertising, created_at)
SELECT md5('c' || i)::uuid, 'Ad' || i, 'Soyad' || i, 'c' || i || '@example.com', '+90532' || lpad((i % 10000000)::text, 7, '0'),
       date '1946-01-01' + (random() * 20000)::int, CASE WHEN random() < 0.5 THEN 'female' ELSE 'male' END,
       city, lower(translate(city, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')), 'TR',
       CASE WHEN random() < 0.2 THEN 'premium' ELSE 'standard' END, random() < 0.7, random() < 0.5, random() < 0.6,
       now() - random() * interval '3 years'
FROM (SELECT i, CASE WHEN r < 0.30 THEN 'İstanbul' WHEN r < 0.42 THEN 'Ankara' WHEN r < 0.50 THEN 'İzmir' WHEN r < 0.56 THEN 'Bursa'
                     WHEN r < 0.61 THEN 'Antalya' WHEN r < 0.65 THEN 'Konya' WHEN r < 0.69 THEN 'Adana' ELSE 'Kocaeli' END AS city
      FROM (SELECT i, random() AS r FROM generate_series(1, :customers) i) x) c;

INSERT INTO profile.transactions (customer_id, raw_event_id, transaction_id, type, amount, currency, store_id, source, occurred_at)
SELECT md5('c' || (1 + (random() * (:customers - 1))::int))::uuid, i, 'T-' || i,
       CASE WHEN r < 0.5 THEN 'FUEL' WHEN r < 0.8 THEN 'MARKET' ELSE 'PURCHASE' END,
       round((20 + random() * 1500)::numeric, 2), 'TRY', 'ST-' || (random() * 300)::int, 'bench',
       now() - random() * interval '365 days'
FROM (SELECT i, random() AS r FROM generate_series(1, :transactions) i) x;

INSERT INTO profile.interactions (customer_id, raw_event_id, type, event_name, properties, source, channel, occurred_at)
SELECT md5('c' || (1 + (random() * (:customers - 1))::int))::uuid, :transactions + i, 'track',
       CASE WHEN r < 0.3 THEN 'app_open' WHEN r < 0.7 THEN 'product_view' WHEN r < 0.9 THEN 'add_to_cart' ELSE 'coupon_redeemed' END,
       jsonb_build_object('category', CASE WHEN random() < 0.5 THEN 'fuel' ELSE 'market' END), 'bench', 'app',
       now() - random() * interval '365 days'
FROM (SELECT i, random() AS r FROM generate_series(1, :interactions) i) x;

SET maintenance_work_mem = '1GB';
SELECT definition FROM bench_indexes \gexec
RESET maintenance_work_mem;

INSERT INTO profile.customer_facts
SELECT c.customer_id, coalesce(t.n, 0), coalesce(t.total, 0), coalesce(t.pn, 0), coalesce(t.pt, 0), coalesce(t.fn, 0),
       coalesce(t.ft, 0), coalesce(t.mn, 0), coalesce(t.mt, 0), t.first_at, t.last_at, coalesce(i.n, 0), i.last_at
FROM profile.customers c
LEFT JOIN (SELECT customer_id, count(*) n, sum(amount) total,
                  count(*) FILTER (WHERE type = 'PURCHASE') pn, sum(amount) FILTER (WHERE type = 'PURCHASE') pt,
                  count(*) FILTER (WHERE type = 'FUEL') fn, sum(amount) FILTER (WHERE type = 'FUEL') ft,
                  count(*) FILTER (WHERE type = 'MARKET') mn, sum(amount) FILTER (WHERE type = 'MARKET') mt,
                  min(occurred_at) first_at, max(occurred_at) last_at
           FROM profile.transactions GROUP BY customer_id) t ON t.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, count(*) n, max(occurred_at) last_at FROM profile.interactions GROUP BY customer_id) i
       ON i.customer_id = c.customer_id;

INSERT INTO profile.customer_event_counts (customer_id, event_name, count, first_at, last_at)
SELECT customer_id, event_name, count(*), min(occurred_at), max(occurred_at) FROM profile.interactions GROUP BY 1, 2;

VACUUM ANALYZE profile.customers;
VACUUM ANALYZE profile.customer_traits;
VACUUM ANALYZE profile.transactions;
VACUUM ANALYZE profile.interactions;
VACUUM ANALYZE profile.customer_facts;
VACUUM ANALYZE profile.customer_event_counts;
ALTER TABLE profile.customers RESET (autovacuum_enabled);
ALTER TABLE profile.customer_traits RESET (autovacuum_enabled);
ALTER TABLE profile.transactions RESET (autovacuum_enabled);
ALTER TABLE profile.interactions RESET (autovacuum_enabled);
ALTER TABLE profile.customer_facts RESET (autovacuum_enabled);
ALTER TABLE profile.customer_event_counts RESET (autovacuum_enabled);

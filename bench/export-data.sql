-- Synthetic customers for bench/export.sh, straight into the profile schema: :customers customers, all with
-- advertising consent, each with the six identifiers of the benchmark's Meta file (email, phone, first and last name,
-- city, country): Turkish names and cities, mobile numbers of the 530-549 ranges. Deterministic.
SELECT setseed(0.42);
SET synchronous_commit = off;

INSERT INTO profile.customers (customer_id, first_name, last_name, email_normalized, phone_e164, city, city_normalized, country_code,
                               consent_email, consent_sms, consent_advertising, created_at)
SELECT md5('e' || i)::uuid, first_name, last_name,
       lower(translate(first_name || '.' || last_name, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')) || i || '@' || domain,
       '+905' || (30 + (i % 20))::text || lpad((i % 10000000)::text, 7, '0'),
       city, lower(translate(city, 'İıŞşĞğÜüÖöÇç', 'IiSsGgUuOoCc')), 'TR', true, true, true, now()
FROM (SELECT i,
             (ARRAY['Ayşe', 'Mehmet', 'Fatma', 'Mustafa', 'Emine', 'Ahmet', 'Hatice', 'Ali', 'Zeynep', 'Hüseyin', 'Elif', 'İbrahim',
                    'Şükrü', 'Gülşen', 'Çağla', 'Oğuz', 'Ümit', 'Işıl', 'Özge', 'Ilgın'])[1 + (i % 20)] AS first_name,
             (ARRAY['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan', 'Doğan',
                    'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek'])[1 + ((i / 20) % 20)] AS last_name,
             (ARRAY['gmail.com', 'hotmail.com', 'yahoo.com', 'outlook.com', 'yandex.com'])[1 + (i % 5)] AS domain,
             (ARRAY['İstanbul', 'Ankara', 'İzmir', 'Bursa', 'Antalya', 'Konya', 'Adana', 'Şanlıurfa', 'Gaziantep', 'Kocaeli'])[1 + (i % 10)] AS city
      FROM generate_series(1, :customers) i) c;

VACUUM ANALYZE profile.customers;

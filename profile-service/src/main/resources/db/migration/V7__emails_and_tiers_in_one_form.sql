-- Emails and tiers were lower-cased by the root locale's rule, which writes Turkish's capital İ as i followed by a
-- combining dot (U+0307): İLKER@GMAIL.COM and ilker@gmail.com were two addresses, and the dotted form never matched
-- on the ad platforms. TextKeys.lower now writes i; this re-derives what was stored the old way, in NFC.
UPDATE profile.customers
SET email_normalized = normalize(replace(email_normalized, 'i' || U&'\0307', 'i'), NFC)
WHERE email_normalized LIKE '%' || U&'\0307' || '%';

UPDATE profile.customers
SET segment = normalize(replace(segment, 'i' || U&'\0307', 'i'), NFC)
WHERE segment LIKE '%' || U&'\0307' || '%';

-- Email identities: each old value becomes the new one where no customer holds that yet (one old value per new one).
-- Where another customer already holds it, the two are the same address: EmailFoldMigration merges them at start-up
-- by the planner's rules, recorded like any other merge.
UPDATE profile.identities i
SET id_value = folded.value
FROM (SELECT DISTINCT ON (normalize(replace(id_value, 'i' || U&'\0307', 'i'), NFC))
             id_value AS old, normalize(replace(id_value, 'i' || U&'\0307', 'i'), NFC) AS value
      FROM profile.identities
      WHERE id_type = 'email' AND id_value LIKE '%' || U&'\0307' || '%'
      ORDER BY normalize(replace(id_value, 'i' || U&'\0307', 'i'), NFC), id_value) AS folded
WHERE i.id_type = 'email' AND i.id_value = folded.old
  AND NOT EXISTS (SELECT 1 FROM profile.identities taken WHERE taken.id_type = 'email' AND taken.id_value = folded.value);

-- The email identities V7 could not fold because another customer already holds the new form: EmailFoldMigration
-- merges those customers at start-up and removes each row here once done, so a start reads this small table instead
-- of every email identity.
CREATE TABLE profile.email_folds_pending (old_value text PRIMARY KEY);

INSERT INTO profile.email_folds_pending (old_value)
SELECT id_value FROM profile.identities WHERE id_type = 'email' AND id_value LIKE '%' || U&'\0307' || '%'
ON CONFLICT DO NOTHING;

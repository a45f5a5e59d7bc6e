-- case: DO bodies are executed (squawk does not look inside)
SET lock_timeout = '2s';
DO $$ BEGIN
  ALTER TABLE users DROP COLUMN legacy_flag;
EXCEPTION WHEN undefined_column THEN NULL;
END $$;

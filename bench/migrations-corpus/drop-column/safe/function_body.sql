-- case: a function body is not executed by the migration
SET lock_timeout = '2s';
CREATE OR REPLACE FUNCTION cleanup() RETURNS void AS $fn$
BEGIN
  ALTER TABLE users DROP COLUMN legacy_flag;
END $fn$ LANGUAGE plpgsql;

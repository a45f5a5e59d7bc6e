-- case: DDL inside a comment and a string
SET lock_timeout = '2s';
-- ALTER TABLE users DROP COLUMN legacy_flag;
COMMENT ON COLUMN users.legacy_flag IS 'ALTER TABLE users DROP COLUMN legacy_flag; later';

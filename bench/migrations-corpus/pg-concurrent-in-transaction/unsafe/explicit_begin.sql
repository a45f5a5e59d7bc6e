-- case: explicit BEGIN
SET lock_timeout = '2s';
BEGIN;
CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
COMMIT;

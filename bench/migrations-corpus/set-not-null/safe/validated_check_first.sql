-- case: plain file (autocommit): the validated CHECK lets PG12+ skip the scan
SET lock_timeout = '2s';
ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: nullability unchanged
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';

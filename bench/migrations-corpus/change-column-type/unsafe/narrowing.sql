SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN nick TYPE int USING nick::int;

-- case: Flyway file mixing CONCURRENTLY with a transactional statement (refused by Flyway)
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN bio text;
CREATE INDEX CONCURRENTLY idx_users_bio ON users (bio);

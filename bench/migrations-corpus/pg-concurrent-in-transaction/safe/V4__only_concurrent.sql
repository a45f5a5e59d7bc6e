-- case: Flyway runs a file of only CONCURRENTLY statements without a transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);

-- case: index on a table created in the same migration, outside an explicit transaction (squawk exempts only the same transaction)
SET lock_timeout = '2s';
CREATE TABLE audit (id bigint, at timestamptz);
CREATE INDEX idx_audit_at ON audit (at);

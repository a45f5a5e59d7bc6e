-- case: now() is STABLE: catalog-only on PG11+
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();

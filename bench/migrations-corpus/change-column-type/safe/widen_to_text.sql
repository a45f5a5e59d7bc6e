-- case: varchar -> text is binary coercible (ours: warning without history; squawk over-flags)
SET lock_timeout = '2s';
ALTER TABLE users ALTER COLUMN nick TYPE text;

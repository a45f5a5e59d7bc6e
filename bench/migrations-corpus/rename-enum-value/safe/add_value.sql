-- case: the old value stays
SET lock_timeout = '2s';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'fine';

SET lock_timeout = '2s';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok';

-- case: warning
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN prefs json;

-- case: warning
ALTER TABLE users ADD COLUMN bio text;

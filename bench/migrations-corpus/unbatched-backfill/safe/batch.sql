SET lock_timeout = '2s';
UPDATE users SET status = 'active' WHERE id >= 1 AND id < 10001;

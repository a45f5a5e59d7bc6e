SET lock_timeout = '2s';
UPDATE users SET status = 'active';

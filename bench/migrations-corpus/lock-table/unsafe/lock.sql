SET lock_timeout = '2s';
LOCK TABLE orders;

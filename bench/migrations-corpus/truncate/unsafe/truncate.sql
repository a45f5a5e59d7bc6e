-- case: squawk flags only CASCADE
SET lock_timeout = '2s';
TRUNCATE orders;

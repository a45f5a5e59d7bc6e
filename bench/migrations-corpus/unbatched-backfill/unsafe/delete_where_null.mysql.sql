-- case: MySQL
SET SESSION lock_wait_timeout = 5;
DELETE FROM orders WHERE total IS NULL;

-- case: MySQL
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN cents BIGINT AS (total * 100) STORED;

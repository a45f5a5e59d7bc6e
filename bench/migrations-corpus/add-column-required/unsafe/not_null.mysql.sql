-- case: MySQL
SET SESSION lock_wait_timeout = 5;
ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL;

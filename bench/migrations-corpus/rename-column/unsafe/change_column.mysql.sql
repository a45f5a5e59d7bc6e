-- case: MySQL CHANGE COLUMN a b
SET SESSION lock_wait_timeout = 5;
ALTER TABLE users CHANGE COLUMN nick nickname VARCHAR(20);

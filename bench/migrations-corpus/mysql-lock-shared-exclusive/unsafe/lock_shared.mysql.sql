SET SESSION lock_wait_timeout = 5;
ALTER TABLE users ADD INDEX idx_name (name), LOCK=SHARED;

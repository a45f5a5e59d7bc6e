SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN ref CHAR(36) DEFAULT (UUID());

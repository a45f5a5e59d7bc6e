-- case: MySQL identifiers named rename/drop
SET SESSION lock_wait_timeout = 5;
ALTER TABLE `rename` ADD COLUMN `drop` INT NULL, ALGORITHM=INSTANT;

-- case: asserted online: MySQL refuses instead of copying
SET SESSION lock_wait_timeout = 5;
ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4, ALGORITHM=INPLACE, LOCK=NONE;
